// Staff pages follow what happens while they are open: each page names what its data is
// (watch), and every 20 seconds, while the tab is visible, that data is fetched again. When it
// changed, the page is drawn again in place (same scroll, focus not moved); while a form on it
// has been typed in, or a control of it has the focus, a button offers the refresh instead, so
// nothing typed is lost and no press lands on a control that has just been replaced.
import {h, showing} from './dom.js';

let watched = null;  // {hash, load, text, edited}

function refreshMs() {
  const ms = Number(localStorage.getItem('assay-refresh-ms'));
  return ms >= 1000 ? ms : 20000;
}

/// The page now shown is drawn from `data`; `load` fetches it again.
export function watch(load, data) {
  watched = {hash: location.hash, load, text: JSON.stringify(data), edited: false};
}

/// A new page is being drawn: nothing is watched until it says what.
export function unwatch() { watched = null; }

/// Starts following: `active()` says whether to look at all (someone is signed in), `draw(quiet)`
/// draws the current page again.
export function follow(active, draw) {
  document.getElementById('main').addEventListener('input', () => { if (watched) watched.edited = true; });
  setInterval(async () => {
    const w = watched;
    if (!w || !active() || document.hidden) return;
    let data;
    try { data = await w.load(); } catch { return; }
    if (watched !== w || location.hash !== w.hash || JSON.stringify(data) === w.text) return;
    // Someone typing, or with a control of the page in focus (about to press it), is not
    // interrupted: the page offers the refresh instead of redrawing under them.
    const main = document.getElementById('main');
    const focused = document.activeElement;
    const busy = focused && focused !== document.body && main.contains(focused) && focused.tagName !== 'H1';
    if (w.edited || busy) {
      const status = document.getElementById('status');
      status.className = 'status info';
      status.replaceChildren('This page has changed since it was drawn. ',
        h('button', {type: 'button', class: 'small', id: 'refresh-page', onclick: () => draw(false)}, 'Refresh'));
      return;
    }
    const y = window.scrollY;
    showing.quietly = true;
    try { await draw(true); } finally { showing.quietly = false; }
    window.scrollTo(0, y);
  }, refreshMs());
}
