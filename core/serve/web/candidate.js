// The candidate's page (/c/TOKEN): notice and rules, the attempt with its server-kept timer,
// review, submission, and what the campaign releases afterwards.
import {ApiError, get, post, put} from './api.js';
import {announce, clock, duration, formatTime, h, show} from './dom.js';
import {selfIdentification} from './evidence.js';
import {renderItem} from './interactions.js';
import {exact, pointsText, profile, reasonList} from './results.js';

export async function candidate(token) {
  document.getElementById('nav').replaceChildren();
  const base = `/api/c/${encodeURIComponent(token)}`;
  let info;
  try {
    info = await get(base);
  } catch (e) {
    if (e.status === 409 && e.body && e.body.campaign) return intro(base, e.body, `This assessment opens on ${formatTime(e.body.opens)}. Come back then with the same link.`);
    return refused(e);
  }
  if (info.status === 'submitted') return outcome(base);
  if (info.status === 'in_progress') return resume(base, info);
  return intro(base, info);
}

/// "in 1 minute", "in 10 minutes".
function minutesText(n) { return `in ${n} minute${n === 1 ? '' : 's'}`; }

function refused(e) {
  const text = {
    404: 'This link does not work. It may have been replaced by a newer one or withdrawn. Ask the hospital that sent it.',
    410: 'This campaign has closed: the assessment can no longer be taken.',
    429: `Too many unknown links were tried from this network. Try again ${e.retryAfter ? minutesText(Math.ceil(e.retryAfter / 60)) : 'later'}.`,
  }[e.status];
  if (e.code === 'other_browser') {
    return show('Open in another browser',
      h('h1', {}, 'This attempt is open in another browser'),
      h('p', {}, 'The assessment was started in a different browser or device, and it can only continue there.'),
      h('p', {}, 'If you cannot return to that browser, ask the hospital that sent you the link to let you continue here: they will send you a new link that opens your attempt, with your saved answers.'));
  }
  return show('Link not available', h('h1', {}, 'This link cannot be used'), h('p', {}, text || e.message));
}

function intro(base, info, notOpen) {
  const notice = info.privacy_notice
    ? info.privacy_notice.split('\n').map((p) => h('p', {}, p))
    : h('p', {}, 'The hospital gave no separate privacy notice for this campaign. Your answers and the events listed in the rules below are stored with your attempt and seen by the hospital\'s staff.');
  const error = h('div');
  const start = h('button', {type: 'button', class: 'primary', id: 'start', disabled: Boolean(notOpen), onclick: async () => {
    start.disabled = true;
    try {
      const state = await post(`${base}/start`);
      attempt(base, info, state);
    } catch (e) {
      start.disabled = false;
      if (e.code === 'other_browser' || e.status === 404 || e.status === 410) return refused(e);
      error.replaceChildren(h('p', {class: 'error', role: 'alert'}, e.message));
    }
  }}, info.status === 'in_progress' ? 'Continue' : 'Start the assessment');
  show(info.assessment,
    h('h1', {}, info.assessment),
    h('p', {class: 'lead'}, info.campaign),
    notOpen ? h('p', {class: 'notice'}, notOpen) : null,
    h('section', {'aria-labelledby': 'privacy-h'}, h('h2', {id: 'privacy-h'}, 'Privacy notice'), notice),
    h('section', {'aria-labelledby': 'rules-h'}, h('h2', {id: 'rules-h'}, 'Rules'),
      h('dl', {class: 'facts'},
        h('dt', {}, 'Time limit'), h('dd', {}, duration(info.time_limit)),
        h('dt', {}, 'Questions'), h('dd', {}, String(info.items)),
        info.closes ? [h('dt', {}, 'Available until'), h('dd', {}, formatTime(info.closes))] : null),
      h('ul', {}, (info.rules || []).map((r) => h('li', {}, r)))),
    h('p', {}, 'The timer starts when you press the button and is kept by the server.'),
    error, start);
}

async function resume(base, info) {
  try {
    const state = await get(`${base}/attempt`);
    if (state.status === 'submitted') return outcome(base);
    attempt(base, info, state);
  } catch (e) {
    if (e.code === 'handed_over') return intro(base, info);  // "Continue" claims it for this browser
    if (e.code === 'other_browser') return refused(e);
    if (e.status === 409) return outcome(base);
    // No attempt cookie yet (the page was opened afresh): starting returns the running attempt.
    intro(base, info);
  }
}

function attempt(base, info, state) {
  const items = state.items;
  const total = items.length;
  const saved = new Map();     // n → JSON text of the last acknowledged answer
  const views = new Map();     // n → rendered item
  const pending = new Map();   // n → debounce timer
  const chains = new Map();    // n → promise of the last save, so saves of one item stay in order
  const stateOf = new Map();   // n → 'empty' | 'pending' | 'saving' | 'saved' | 'problem' | 'error'
  const problemOf = new Map(); // n → why the saved answer cannot be read, while it cannot
  const revisionOf = new Map(); // n → the revision of the item's answer the server last confirmed
  let current = Math.min(Math.max(1, Number((location.hash.match(/^#q(\d+)$/) || [])[1]) || 1), total);
  let finished = false;
  for (const it of items) {
    if (it.answer) saved.set(it.n, JSON.stringify(it.answer));
    revisionOf.set(it.n, it.revision || 0);
    stateOf.set(it.n, it.answer ? 'saved' : 'empty');
  }

  // The timer: the server's remaining seconds, counted down locally and corrected by every reply.
  let deadline = state.remaining === null || state.remaining === undefined ? null : performance.now() + state.remaining * 1000;
  // The timer itself is not a live region (screen readers would read every second): the page
  // says the time left in the polite status region as it passes 10, 5 and 1 minutes.
  const timer = h('span', {class: 'timer', role: 'timer'});
  const warned = new Set();
  const tick = () => {
    if (deadline === null) { timer.textContent = 'No time limit'; return; }
    const left = (deadline - performance.now()) / 1000;
    timer.textContent = `Time left ${clock(left)}`;
    timer.classList.toggle('low', left <= 300);
    for (const mark of [600, 300, 60]) {
      if (left <= mark && !warned.has(mark)) {
        warned.add(mark);
        // Only as it passes: a page opened with 4 minutes left does not say "5 minutes left".
        if (left > mark - 5) announce(`${mark / 60} minute${mark === 60 ? '' : 's'} left`, 'warn');
      }
    }
    if (left <= 0 && !finished) timeUp();
  };
  const sync = (remaining) => { if (remaining !== null && remaining !== undefined) deadline = performance.now() + remaining * 1000; };
  const interval = setInterval(tick, 1000);

  const signal = (kind) => post(`${base}/signals`, {kind, n: current}).catch(() => {});
  // Leaving the page (another tab or window) is recorded once per absence. It is sent after a
  // second, so a reload, which unloads the page first, is not counted as leaving.
  let away = false;
  let leaving = null;
  const focusLost = () => {
    if (finished || away) return;
    away = true;
    const at = current;
    leaving = setTimeout(() => { leaving = null; post(`${base}/signals`, {kind: 'focus_lost', n: at}).catch(() => {}); }, 1000);
  };
  const focusBack = () => { away = false; };
  const onVisibility = () => { if (document.visibilityState === 'hidden') focusLost(); else focusBack(); };
  const onPageHide = () => { if (leaving) clearTimeout(leaving); };
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('blur', focusLost);
  window.addEventListener('focus', focusBack);
  window.addEventListener('pagehide', onPageHide);

  const navList = h('ol', {class: 'qnav'});
  const header = h('div', {class: 'attempt-bar'},
    h('span', {class: 'attempt-title'}, info.assessment), timer);
  const area = h('div', {class: 'question-area'});
  const saveLine = h('p', {class: 'save-state', 'aria-live': 'polite', id: 'save-state'});

  function stateText(n) {
    const s = stateOf.get(n);
    return {empty: 'Not answered yet', pending: 'Not saved yet', saving: 'Saving…', saved: 'Answer saved', error: 'Not saved',
      problem: 'Saved, but it cannot be read as an answer yet'}[s];
  }

  function drawNav() {
    navList.replaceChildren(...items.map((it) => {
      const s = stateOf.get(it.n);
      const answered = saved.has(it.n);
      return h('li', {}, h('button', {type: 'button', class: `qbtn ${answered ? 'answered' : ''} ${s === 'error' ? 'unsaved' : ''}`,
        'aria-current': it.n === current ? 'step' : null,
        'aria-label': `Question ${it.n}, ${answered ? 'answered' : 'not answered'}`,
        onclick: () => go(it.n)}, String(it.n)));
    }));
  }

  function setState(n, s, detail) {
    stateOf.set(n, s);
    if (s === 'problem') problemOf.set(n, detail); else if (s !== 'pending' && s !== 'saving') problemOf.delete(n);
    if (!detail && problemOf.has(n) && s === 'problem') detail = problemOf.get(n);
    if (n === current) {
      saveLine.dataset.state = s;
      saveLine.className = `save-state ${s}`;
      saveLine.textContent = detail ? `${stateText(n)}: ${detail}` : stateText(n);
    }
    drawNav();
  }

  function save(n) {
    clearTimeout(pending.get(n));
    pending.delete(n);
    const view = views.get(n);
    if (!view || finished) return Promise.resolve();
    let response;
    try {
      response = view.response();
    } catch (e) {
      setState(n, 'error', e.message);
      return Promise.resolve();
    }
    const body = response || {};
    const text = JSON.stringify(body);
    if (text === (saved.get(n) || '{}')) {
      setState(n, saved.has(n) ? 'saved' : 'empty');
      return Promise.resolve();
    }
    setState(n, 'saving');
    // Each save is the item's next revision; a save the network lost, or a proxy or server that
    // failed, is sent again with the same revision, which the server writes at most once.
    const send = (revision, tries) => put(`${base}/answers/${n}?revision=${revision}`, body).catch((e) => {
      const transient = e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504;
      if (!transient || tries >= 4 || finished) throw e;
      return new Promise((resolve) => setTimeout(resolve, 500 * 2 ** tries)).then(() => send(revision, tries + 1));
    });
    const run = () => send((revisionOf.get(n) || 0) + 1, 0).then((r) => {
      sync(r.remaining);
      revisionOf.set(n, r.revision);
      if (response) saved.set(n, text); else saved.delete(n);
      const latest = (() => { try { return JSON.stringify(views.get(n).response() || {}); } catch { return null; } })();
      // What the item cannot read (an unknown unit, a rule that does not parse) is said beside it
      // to be fixed; the answer is saved all the same.
      const problems = Object.values(r.problems || {});
      if (latest === text) setState(n, problems.length ? 'problem' : response ? 'saved' : 'empty', problems.join(' '));
    }, (e) => {
      if (e.code === 'time_up' || e.code === 'submitted' || e.status === 410) return timeUp();
      if (e.code === 'other_browser') { stop(); return refused(e); }
      if (e.code === 'stale_revision' && e.body && e.body.revision >= (revisionOf.get(n) || 0)) {
        // Another window (or a save whose reply was lost) is stored under this revision: what this
        // page shows is saved after it, within this item's chain, so a submission waits for it.
        revisionOf.set(n, e.body.revision);
        return run();
      }
      setState(n, 'error', e.message);
    });
    const next = (chains.get(n) || Promise.resolve()).then(run);
    chains.set(n, next);
    return next;
  }

  function scheduleSave(n, immediate) {
    if (immediate) { save(n); return; }
    clearTimeout(pending.get(n));
    // Typing: never show an earlier "saved" while these keys are not yet acknowledged.
    if (stateOf.get(n) !== 'pending') setState(n, 'pending');
    pending.set(n, setTimeout(() => save(n), 700));
  }

  async function flush() {
    for (const n of [...pending.keys()]) save(n);
    await Promise.all([...chains.values()]);
  }

  function view(n) {
    if (!views.has(n)) {
      const it = items[n - 1];
      const v = renderItem(it.presentation, it.answer, (immediate) => scheduleSave(n, immediate), (k) => `${base}/figures/${n}/${k}`);
      v.el.addEventListener('paste', (ev) => {
        if (ev.target && (ev.target.tagName === 'TEXTAREA' || ev.target.tagName === 'INPUT')) signal('paste');
      });
      views.set(n, v);
    }
    return views.get(n);
  }

  async function go(n) {
    if (pending.has(current)) save(current);
    current = n;
    history.replaceState(null, '', `#q${n}`);
    page();
  }

  function page() {
    const v = view(current);
    area.replaceChildren(
      h('h1', {id: 'qh'}, `Question ${current} of ${total}`),
      v.el,
      saveLine,
      h('div', {class: 'buttons'},
        h('button', {type: 'button', id: 'prev', disabled: current === 1, onclick: () => go(current - 1)}, 'Previous'),
        current < total ? h('button', {type: 'button', id: 'next', class: 'primary', onclick: () => go(current + 1)}, 'Next') : null,
        h('button', {type: 'button', id: 'review', class: current === total ? 'primary' : '', onclick: review}, 'Review and submit')));
    setState(current, stateOf.get(current));
    document.title = `Question ${current} of ${total} · Assay`;
    const hq = document.getElementById('qh');
    hq.tabIndex = -1;
    hq.focus();
  }

  async function review() {
    await flush();
    history.replaceState(null, '', '#review');
    const unanswered = items.filter((it) => !saved.has(it.n)).length;
    const confirmBox = h('div');
    const submitBtn = h('button', {type: 'button', class: 'primary', id: 'submit', onclick: () => {
      submitBtn.hidden = true;
      confirmBox.replaceChildren(h('div', {class: 'confirm', role: 'alertdialog', 'aria-labelledby': 'confirm-text'},
        h('p', {id: 'confirm-text'}, unanswered
          ? `${unanswered} question${unanswered === 1 ? ' is' : 's are'} not answered. Submitting is final: you cannot change your answers afterwards. Submit now?`
          : 'Submitting is final: you cannot change your answers afterwards. Submit now?'),
        h('div', {class: 'buttons'},
          h('button', {type: 'button', class: 'primary', id: 'confirm-submit', onclick: submit}, 'Yes, submit my answers'),
          h('button', {type: 'button', onclick: () => { confirmBox.replaceChildren(); submitBtn.hidden = false; submitBtn.focus(); }}, 'Not yet'))));
      confirmBox.querySelector('#confirm-submit').focus();
    }}, 'Submit my answers');
    area.replaceChildren(
      h('h1', {}, 'Review your answers'),
      h('p', {}, unanswered ? `${unanswered} of ${total} questions are not answered yet.` : `All ${total} questions are answered.`),
      h('table', {class: 'review'},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Question'), h('th', {scope: 'col'}, 'Status'), h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Action')))),
        h('tbody', {}, items.map((it) => h('tr', {},
          h('th', {scope: 'row'}, `${it.n}. ${excerpt(it.presentation.prompt)}`),
          h('td', {class: saved.has(it.n) ? 'ok' : 'missing'}, saved.has(it.n) ? 'Answered' : 'Not answered'),
          h('td', {}, h('button', {type: 'button', class: 'small', 'aria-label': `Go to question ${it.n}`, onclick: () => go(it.n)}, 'Go to')))))),
      h('div', {class: 'buttons'}, h('button', {type: 'button', onclick: () => go(current)}, 'Back to the questions'), submitBtn),
      confirmBox);
    document.title = 'Review · Assay';
    area.querySelector('h1').tabIndex = -1;
    area.querySelector('h1').focus();
  }

  function stop() {
    finished = true;
    clearInterval(interval);
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('blur', focusLost);
    window.removeEventListener('focus', focusBack);
    window.removeEventListener('pagehide', onPageHide);
  }

  async function submit() {
    await flush();
    try {
      await post(`${base}/submit`);
    } catch (e) {
      if (e.status !== 409) { announce(`Not submitted: ${e.message}`, 'error'); return; }
    }
    stop();
    history.replaceState(null, '', location.pathname);
    outcome(base, items);
  }

  async function timeUp() {
    if (finished) return;
    stop();
    history.replaceState(null, '', location.pathname);
    announce('Time is up: your saved answers have been submitted.', 'warn');
    area.replaceChildren(h('h1', {}, 'Time is up'), h('p', {}, 'Your saved answers are being submitted…'));
    // The page's clock may run a little ahead of the server's: ask once the deadline has surely passed.
    setTimeout(() => outcome(base, items, 5), 1500);
  }

  show(info.assessment, header, h('nav', {'aria-label': 'Questions', class: 'qnav-wrap'}, navList), area);
  tick();
  if (location.hash === '#review') review(); else page();
}

function excerpt(text) {
  const first = String(text || '').split('\n')[0];
  return first.length > 90 ? `${first.slice(0, 87)}…` : first;
}

async function outcome(base, items, retries = 0) {
  let o;
  try {
    o = await get(`${base}/outcome`);
  } catch (e) {
    if (e.status === 409 && retries > 0) return setTimeout(() => outcome(base, items, retries - 1), 1000);
    return refused(e);
  }
  const parts = [h('h1', {}, 'Your answers were received'),
    h('p', {class: 'lead'}, `${o.campaign}: submitted ${formatTime(o.submitted)}.`)];
  // The voluntary self-identification form, when the campaign has one, comes after the receipt.
  const sid = h('section', {'aria-labelledby': 'sid-h', id: 'self-identification', class: 'no-print'});
  if (!o.result) {
    parts.push(h('p', {}, 'Thank you. The hospital will review your attempt and contact you. You can close this page.'), sid);
    show('Received', parts);
    return selfIdentification(base, sid);
  }
  const r = o.result;
  const outcomeText = {pass: 'Passed', fail: 'Not passed', pending: 'Waiting for a rater'}[r.outcome] || r.outcome;
  parts.push(h('section', {'aria-labelledby': 'res-h'}, h('h2', {id: 'res-h'}, 'Your result'),
    h('dl', {class: 'facts'},
      h('dt', {}, 'Outcome'), h('dd', {class: `outcome ${r.outcome}`}, outcomeText),
      h('dt', {}, 'Score'), h('dd', {}, `${r.percent_display}% (${pointsText(r.points, r.max)}; pass mark ${exact(r.pass_percent)}%)`),
      r.level ? [h('dt', {}, 'Level'), h('dd', {}, r.level)] : null),
    reasonList(r.reasons)));
  parts.push(profile(r.competencies));
  if (o.review && o.review.length) {
    parts.push(h('section', {'aria-labelledby': 'fb-h'}, h('h2', {id: 'fb-h'}, 'Feedback on each question'),
      o.review.map((x) => h('article', {class: 'feedback'},
        h('h3', {}, `Question ${x.n}`),
        items && items[x.n - 1] ? h('p', {class: 'prompt'}, excerpt(items[x.n - 1].presentation.prompt)) : null,
        x.feedback ? h('p', {}, h('strong', {}, 'Feedback: '), typeof x.feedback === 'string' ? x.feedback : JSON.stringify(x.feedback)) : null,
        x.explanation ? h('p', {}, h('strong', {}, 'Explanation: '), x.explanation) : null,
        x.source ? h('p', {class: 'source'}, h('strong', {}, 'Source: '), x.source) : null))));
  }
  parts.push(h('button', {type: 'button', class: 'no-print', onclick: () => window.print()}, 'Print this page'), sid);
  show('Your result', parts);
  return selfIdentification(base, sid);
}

export {ApiError};
