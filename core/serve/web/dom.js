// Small DOM helpers: every text goes in as text, never as HTML.

/// h('button', {class: 'x', onclick: f}, 'Save') → an element. Attributes with a false or
/// null value are left out; `on...` members become listeners; children may be nested arrays.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'for') el.htmlFor = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

let counter = 0;
/// A fresh id for label/for and aria-describedby pairs.
export function uid(prefix = 'f') { return `${prefix}-${++counter}`; }

/// Replaces the page's content, sets the title and moves focus to the new heading so a
/// screen reader announces the page.
export function show(title, ...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat().filter(Boolean));
  document.title = `${title} · Assay`;
  const heading = main.querySelector('h1');
  if (heading) heading.tabIndex = -1;
  if (heading && !showing.quietly) heading.focus();
}

/// While `quietly` is set, show() draws the page again without moving focus (a refresh of the
/// same page, not a new one).
export const showing = {quietly: false};

/// Says something in the polite live region (and shows it).
export function announce(text, kind = 'info') {
  const s = document.getElementById('status');
  s.className = `status ${kind}`;
  s.textContent = text;
}

export function clearStatus() { announce(''); }

/// A labelled form field: label, control, optional hint (linked by aria-describedby).
export function field(label, control, hint) {
  const id = control.id || uid();
  control.id = id;
  const parts = [h('label', {for: id}, label)];
  if (hint) {
    const hid = uid('hint');
    control.setAttribute('aria-describedby', hid);
    parts.push(h('span', {class: 'hint', id: hid}, hint));
  }
  parts.push(control);
  return h('div', {class: 'field'}, parts);
}

/// A wide table in its own sideways-scrolling box: at 200 % zoom the page reflows and only the
/// table scrolls. The box takes the focus (arrow keys scroll it) and is named for screen readers.
export function scrollBox(label, table) {
  const wrap = h('div', {class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label}, table);
  const columns = table.querySelectorAll('thead th').length;
  return h('div', {}, sideways(wrap, `This table is wider than the page: scroll it sideways to see all ${columns} columns.`), wrap);
}

/// A hint, shown only while `box` is too narrow for its content: the columns or line ends a
/// reader cannot see are otherwise cut at the box's edge with nothing saying there is more.
export function sideways(box, text) {
  const hint = h('p', {class: 'hint scroll-hint', id: uid('wide'), hidden: true}, text);
  box.setAttribute('aria-describedby', hint.id);
  new ResizeObserver(() => { hint.hidden = box.scrollWidth <= box.clientWidth; }).observe(box);
  return hint;
}

/// An error shown beside a form, also read out.
export function errorBox(message) {
  return h('p', {class: 'error', role: 'alert'}, message);
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
}

export function duration(seconds) {
  if (!seconds) return 'no time limit';
  const m = Math.round(seconds / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`;
  const hh = Math.floor(m / 60), mm = m % 60;
  return `${hh} hour${hh === 1 ? '' : 's'}${mm ? ` ${mm} minute${mm === 1 ? '' : 's'}` : ''}`;
}

/// mm:ss or h:mm:ss for a timer.
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const two = (n) => String(n).padStart(2, '0');
  return hh ? `${hh}:${two(mm)}:${two(ss)}` : `${mm}:${two(ss)}`;
}

/// Offers `text` as a file download named `name`.
export function download(name, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const a = h('a', {href: url, download: name});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
