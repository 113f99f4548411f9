// Staff pages: set-up, sign-in, accounts (administrator), campaigns, candidates and results
// (manager), ratings (rater). The hash names the page: #campaigns/3, #attempts/a-1, #ratings.
import {api, del, get, post, setCsrf} from './api.js';
import {announce, clearStatus, download, duration, errorBox, field, formatTime, h, scrollBox, show, uid} from './dom.js';
import {evidencePage} from './evidence.js';
import {follow, unwatch, watch} from './live.js';
import {describeResponse, promptBlock} from './interactions.js';
import {exact, outcomeLabel, pointsText, profile, reasonList} from './results.js';

let me = null;

const ROLE = {administrator: 'Administrator', manager: 'Manager', rater: 'Rater'};
const can = {
  manage: () => me && (me.role === 'administrator' || me.role === 'manager'),
  admin: () => me && me.role === 'administrator',
};

// ---------------------------------------------------------------------------------------------
// Set-up and sign-in

export async function setup(token) {
  if (!token) {
    return show('Set-up', h('h1', {}, 'Set-up link incomplete'),
      h('p', {}, 'Open the whole link the server printed when it first started, including the part after #.'));
  }
  // A used link says so at once, instead of showing a form that can only be refused.
  if (!(await get('/api/setup')).open) {
    return show('Set-up', h('h1', {}, 'This set-up link has been used'),
      h('p', {}, 'The administrator exists already. ', h('a', {href: '/staff'}, 'Sign in'), ' instead; an administrator creates the other accounts.'));
  }
  const user = h('input', {type: 'text', name: 'username', autocomplete: 'username', required: true});
  const pass = h('input', {type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 10});
  const again = h('input', {type: 'password', name: 'password2', autocomplete: 'new-password', required: true, minlength: 10});
  const err = h('div');
  const form = h('form', {class: 'form narrow', id: 'setup-form', onsubmit: async (ev) => {
    ev.preventDefault();
    err.replaceChildren();
    if (pass.value !== again.value) return err.replaceChildren(errorBox('the two passwords differ'));
    try {
      await post('/api/setup', {token, username: user.value.trim(), password: pass.value});
      const session = await post('/api/login', {username: user.value.trim(), password: pass.value});
      setCsrf(session.csrf);
      history.replaceState(null, '', '/staff#users');
      staff();
    } catch (e) {
      err.replaceChildren(errorBox(e.status === 404 || e.status === 409 || e.status === 403
        ? `${e.message} (a set-up link works once: if the administrator exists already, sign in instead)` : e.message));
    }
  }},
  field('User name', user),
  field('Password', pass, 'At least 10 characters.'),
  field('Password again', again),
  err,
  h('button', {type: 'submit', class: 'primary'}, 'Create the administrator'));
  show('Set-up', h('h1', {}, 'Set up this server'),
    h('p', {}, 'Choose the administrator\'s user name and password. This link works once.'), form);
}

// An item as staff read it: its title with its id, or its id alone.
function itemName(id, title) {
  return title ? `${title} (${id})` : id;
}

function login(message) {
  drawNav();
  const user = h('input', {type: 'text', name: 'username', autocomplete: 'username', required: true});
  const pass = h('input', {type: 'password', name: 'password', autocomplete: 'current-password', required: true});
  const err = h('div', {}, message ? errorBox(message) : null);
  const form = h('form', {class: 'form narrow', id: 'login-form', onsubmit: async (ev) => {
    ev.preventDefault();
    err.replaceChildren();
    try {
      me = await post('/api/login', {username: user.value.trim(), password: pass.value});
      setCsrf(me.csrf);
      route();
    } catch (e) {
      err.replaceChildren(errorBox(e.status === 429 ? lockedOut(e) : e.message));
      pass.select();
    }
  }},
  field('User name', user), field('Password', pass), err,
  h('button', {type: 'submit', class: 'primary'}, 'Sign in'));
  show('Sign in', h('h1', {}, 'Sign in'),
    h('p', {}, 'Staff sign in here. Candidates use the personal link the hospital sent them.'), form);
}

/// The server's refusal after too many failed sign-ins, with when signing in works again
/// (its Retry-After, in seconds).
function lockedOut(e) {
  const seconds = Math.max(1, Number(e.retryAfter) || 600);
  if (seconds < 60) return `${e.message} (in ${seconds} second${seconds === 1 ? '' : 's'})`;
  const minutes = Math.ceil(seconds / 60);
  const at = new Date(Date.now() + seconds * 1000).toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit'});
  return `${e.message} (in ${minutes} minute${minutes === 1 ? '' : 's'}, at ${at})`;
}

// ---------------------------------------------------------------------------------------------
// Navigation

function drawNav() {
  const nav = document.getElementById('nav');
  if (!me) return nav.replaceChildren();
  const link = (hash, text) => h('a', {href: `/staff#${hash}`, 'aria-current': currentHash().split('/')[0] === hash ? 'page' : null}, text);
  nav.replaceChildren(h('ul', {},
    can.manage() ? h('li', {}, link('campaigns', 'Campaigns')) : null,
    h('li', {}, link('ratings', 'Ratings')),
    can.admin() ? h('li', {}, link('users', 'Accounts')) : null,
    h('li', {class: 'who'}, `${me.username} (${ROLE[me.role] || me.role})`),
    h('li', {}, h('button', {type: 'button', class: 'link', id: 'sign-out', onclick: async () => {
      try { await post('/api/logout'); } catch { /* the session may have ended already */ }
      me = null;
      setCsrf('');
      history.replaceState(null, '', '/staff');
      login();
    }}, 'Sign out'))));
}

const currentHash = () => decodeURIComponent(location.hash.slice(1));

export function staff() {
  window.addEventListener('hashchange', () => route());
  follow(() => me !== null, (quiet) => route(quiet));
  route();
}

async function route(quiet = false) {
  unwatch();
  if (!quiet) clearStatus();
  if (!me) {
    try {
      me = await get('/api/me');
      setCsrf(me.csrf);
    } catch (e) {
      if (e.status === 401) return login();
      return show('Error', h('h1', {}, 'The server did not answer'), errorBox(e.message));
    }
  }
  drawNav();
  const parts = currentHash().split('/').filter(Boolean);
  const page = parts[0] || (can.manage() ? 'campaigns' : 'ratings');
  try {
    if (page === 'users' && can.admin()) return await users();
    if (page === 'ratings') return await ratings();
    if (page === 'campaigns' && can.manage()) {
      if (parts[1] === 'new') return await newCampaign();
      if (parts[1] && parts[2] === 'results') return await results(parts[1]);
      if (parts[1] && parts[2] === 'evidence') return await evidencePage(parts[1], can.admin(), itemName);
      if (parts[1] && parts[2] === 'attempts' && parts[3]) return await attemptPage(parts[1], parts[3]);
      if (parts[1]) return await campaign(parts[1]);
      return await campaigns();
    }
    show('Not found', h('h1', {}, 'No such page'), h('p', {}, 'This page does not exist or your role does not include it.'));
  } catch (e) {
    if (e.status === 401) { me = null; return login('your session has ended: sign in again'); }
    show('Error', h('h1', {}, 'This page could not be loaded'), errorBox(e.message));
  }
}

/// Runs a change; shows its error in `box` (or the status line) and returns false on failure.
async function act(box, fn) {
  if (box) box.replaceChildren();
  try {
    await fn();
    return true;
  } catch (e) {
    if (e.status === 401) { me = null; login('your session has ended: sign in again'); return false; }
    if (box) box.replaceChildren(errorBox(e.message)); else announce(e.message, 'error');
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Accounts

async function users() {
  const list = await get('/api/users');
  watch(() => get('/api/users'), list);
  const name = h('input', {type: 'text', name: 'new-username', autocomplete: 'off', required: true});
  const pass = h('input', {type: 'password', name: 'new-password', autocomplete: 'new-password', required: true, minlength: 10});
  const role = h('select', {name: 'new-role'}, ['manager', 'rater', 'administrator'].map((r) => h('option', {value: r}, ROLE[r])));
  const err = h('div');
  const create = h('form', {class: 'form', id: 'create-user', onsubmit: async (ev) => {
    ev.preventDefault();
    if (await act(err, () => post('/api/users', {username: name.value.trim(), password: pass.value, role: role.value}))) {
      announce(`Account ${name.value.trim()} created`, 'ok');
      users().then(() => announce(`Account ${name.value.trim()} created`, 'ok'));
    }
  }}, h('h2', {}, 'New account'),
  h('div', {class: 'row'}, field('User name', name), field('Password', pass, 'At least 10 characters; tell it to the person.'), field('Role', role)),
  err, h('button', {type: 'submit', class: 'primary'}, 'Create account'));

  const rows = list.map((u) => {
    const cell = h('td');
    const reset = h('button', {type: 'button', class: 'small', onclick: () => {
      const p = h('input', {type: 'password', autocomplete: 'new-password', minlength: 10, required: true});
      const e = h('div');
      cell.replaceChildren(h('form', {class: 'inline', onsubmit: async (ev) => {
        ev.preventDefault();
        if (await act(e, () => post(`/api/users/${encodeURIComponent(u.username)}/password`, {password: p.value}))) {
          cell.replaceChildren(reset);
          announce(`Password of ${u.username} reset; their sessions have ended`, 'ok');
        }
      }}, field(`New password for ${u.username}`, p), e,
      h('button', {type: 'submit', class: 'small primary'}, 'Save'),
      h('button', {type: 'button', class: 'small', onclick: () => cell.replaceChildren(reset)}, 'Cancel')));
      p.focus();
    }}, `Reset password`);
    reset.setAttribute('aria-label', `Reset the password of ${u.username}`);
    cell.append(reset);
    const base = `/api/users/${encodeURIComponent(u.username)}`;
    const manage = h('td', {class: 'actions'});
    const drawManage = () => {
      const e = h('div');
      const newRole = h('select', {'aria-label': `New role for ${u.username}`}, ['administrator', 'manager', 'rater'].map((r) => h('option', {value: r, selected: r === u.role}, ROLE[r])));
      const changeRole = h('button', {type: 'button', class: 'small', onclick: async () => {
        if (newRole.value !== u.role && await act(e, () => post(`${base}/role`, {role: newRole.value}))) users().then(() => announce(`${u.username} is now ${ROLE[newRole.value]}`, 'ok'));
      }}, 'Change role');
      const toggle = h('button', {type: 'button', class: 'small', 'aria-label': `${u.disabled ? 'Enable' : 'Disable'} ${u.username}`, onclick: async () => {
        if (await act(e, () => post(`${base}/${u.disabled ? 'enable' : 'disable'}`))) users().then(() => announce(`${u.username} ${u.disabled ? 'enabled' : 'disabled; their sessions have ended'}`, 'ok'));
      }}, u.disabled ? 'Enable' : 'Disable');
      const remove = h('button', {type: 'button', class: 'small danger', 'aria-label': `Delete the account ${u.username}`, onclick: () => {
        remove.replaceWith(h('span', {class: 'confirm-inline'}, `Delete ${u.username}'s account? `,
          h('button', {type: 'button', class: 'small danger', onclick: async () => {
            if (await act(e, () => del(base))) users().then(() => announce(`Account ${u.username} deleted`, 'ok'));
          }}, 'Yes, delete'),
          h('button', {type: 'button', class: 'small', onclick: drawManage}, 'No')));
      }}, 'Delete');
      manage.replaceChildren(newRole, changeRole, toggle, remove, e);
    };
    drawManage();
    return h('tr', {class: u.disabled ? 'disabled' : null}, h('th', {scope: 'row'}, u.username), h('td', {}, ROLE[u.role] || u.role),
      h('td', {}, u.disabled ? 'Disabled' : 'Active'), h('td', {}, formatTime(u.created)), cell, manage);
  });
  show('Accounts', h('h1', {}, 'Accounts'),
    scrollBox('Accounts', h('table', {class: 'data', id: 'users'}, h('caption', {}, `${list.length} account${list.length === 1 ? '' : 's'}`),
      h('thead', {}, h('tr', {}, ['User name', 'Role', 'Status', 'Created', 'Password', 'Account'].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, rows))),
    create);
}

// ---------------------------------------------------------------------------------------------
// Campaigns

async function campaigns() {
  const list = await get('/api/campaigns');
  watch(() => get('/api/campaigns'), list);
  show('Campaigns', h('h1', {}, 'Campaigns'),
    h('p', {}, h('a', {href: '/staff#campaigns/new', class: 'button primary', id: 'new-campaign'}, 'New campaign')),
    list.length === 0 ? h('p', {}, 'No campaign yet.') :
      scrollBox('Campaigns', h('table', {class: 'data', id: 'campaigns'},
        h('thead', {}, h('tr', {}, ['Campaign', 'Assessment', 'Mode', 'Open', 'Started', 'Submitted'].map((t) => h('th', {scope: 'col'}, t)))),
        h('tbody', {}, list.map((c) => h('tr', {},
          h('th', {scope: 'row'}, h('a', {href: `/staff#campaigns/${c.id}`}, c.title)),
          h('td', {}, `${c.assessment.title} (${c.assessment.version})`),
          h('td', {}, c.mode),
          h('td', {}, `${formatTime(c.opens)} to ${formatTime(c.closes)}`),
          h('td', {class: 'num'}, String(c.counts ? c.counts.started : '')),
          h('td', {class: 'num'}, String(c.counts ? c.counts.submitted : ''))))))));
}

const toLocalInput = (d) => {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};
const fromLocalInput = (v) => new Date(v).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function newCampaign() {
  const list = await get('/api/assessments');
  if (!list.length) {
    return show('New campaign', h('h1', {}, 'New campaign'),
      h('p', {}, 'No assessment is installed that loads with the installed plugins. Start the server with --assessments DIR.'));
  }
  // Screenings first: a practice set shows candidates feedback and keys, which a screening must not.
  const ordered = [...list].sort((a, b) => (a.kind === 'screening' ? 0 : 1) - (b.kind === 'screening' ? 0 : 1));
  const assessment = h('select', {name: 'assessment', required: true},
    ordered.map((a) => h('option', {value: a.id}, `${a.title} (${a.id} ${a.version}, ${a.kind}, ${a.items} items, ${duration(a.time_limit)})`)));
  const title = h('input', {type: 'text', name: 'title', required: true});
  const now = new Date();
  now.setSeconds(0, 0);
  const opens = h('input', {type: 'datetime-local', name: 'opens', required: true, value: toLocalInput(now)});
  const closes = h('input', {type: 'datetime-local', name: 'closes', required: true, value: toLocalInput(new Date(now.getTime() + 14 * 86400000))});
  const limit = h('input', {type: 'number', name: 'time_limit', min: 0, step: 1, inputmode: 'numeric'});
  const retakes = h('input', {type: 'number', name: 'retakes', min: 0, step: 1, value: '0', inputmode: 'numeric'});
  const retention = h('input', {type: 'number', name: 'retention_days', min: 0, step: 1, value: '0', inputmode: 'numeric'});
  const notice = h('textarea', {name: 'privacy_notice', rows: 5});
  const chosen = () => list.find((a) => a.id === assessment.value);
  const syncLimit = () => { const a = chosen(); limit.value = a ? String(Math.round(a.time_limit / 60)) : ''; };
  assessment.addEventListener('change', syncLimit);
  syncLimit();
  const err = h('div');
  const form = h('form', {class: 'form', id: 'campaign-form', onsubmit: async (ev) => {
    ev.preventDefault();
    let created;
    const body = {title: title.value.trim(), assessment: assessment.value, opens: fromLocalInput(opens.value),
      closes: fromLocalInput(closes.value), retakes: Number(retakes.value || 0),
      retention_days: Number(retention.value || 0), privacy_notice: notice.value};
    if (limit.value !== '') body.time_limit = Math.round(Number(limit.value) * 60);
    if (await act(err, async () => { created = await post('/api/campaigns', body); })) {
      location.hash = `campaigns/${created.id}`;
      announce(`Campaign "${created.title}" created`, 'ok');
    }
  }},
  field('Assessment', assessment, 'Practice assessments make practice campaigns (candidates see feedback); screening ones show candidates only that their attempt was received.'),
  field('Title', title, 'What candidates see, for example "Biomed techs, March intake".'),
  h('div', {class: 'row'}, field('Opens', opens, 'Your local time.'), field('Closes', closes, 'Your local time.')),
  h('div', {class: 'row'}, field('Time limit in minutes', limit, '0 for untimed; defaults to the assessment\'s.'), field('Retakes allowed', retakes),
    field('Keep data for (days after closing)', retention, '0 keeps it until you delete it; then candidates\' data and attempts are deleted.')),
  field('Privacy notice', notice, 'Shown to each candidate before they start: who keeps their answers, for how long, whom to ask.'),
  err, h('button', {type: 'submit', class: 'primary'}, 'Create campaign'));
  show('New campaign', h('h1', {}, 'New campaign'), form);
}

/// A minimal RFC 4180 reader for the links CSV the server returns.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.some((c) => c !== ''));
}

/// One CSV field as the server writes them (core/base/csv.cpp): a value a spreadsheet would run
/// as a formula (=, +, -, @, tab, CR first, and not a plain number) gets a leading apostrophe.
const csvCell = (value) => {
  let v = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(v) && !/^[+-]?\d+(\.\d+)?$/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
};

// Links created while this page is open (the server shows each link only once).
const newLinks = [];

async function campaign(id) {
  const [c, candidates] = await Promise.all([get(`/api/campaigns/${id}`), get(`/api/campaigns/${id}/candidates`)]);
  watch(() => get(`/api/campaigns/${id}/candidates`), candidates);
  const reload = () => campaign(id);

  // Invite one
  const name = h('input', {type: 'text', name: 'name', required: true, autocomplete: 'off'});
  const email = h('input', {type: 'email', name: 'email', autocomplete: 'off'});
  const ref = h('input', {type: 'text', name: 'external_ref', autocomplete: 'off'});
  const err = h('div');
  const invite = h('form', {class: 'form', id: 'invite-form', onsubmit: async (ev) => {
    ev.preventDefault();
    let r;
    if (await act(err, async () => { r = await post(`/api/campaigns/${id}/candidates`, {name: name.value.trim(), email: email.value.trim(), external_ref: ref.value.trim()}); })) {
      newLinks.push({campaign: String(id), name: r.candidate.name, email: r.candidate.email, external_ref: r.candidate.external_ref, candidate_id: r.candidate.id, link: r.link});
      await reload();
      announce(`${r.candidate.name} invited: copy or download the link now, it is shown only once`, 'ok');
    }
  }}, h('h2', {}, 'Invite a candidate'),
  h('div', {class: 'row'}, field('Name', name), field('E-mail', email), field('External reference', ref, 'The hospital\'s applicant-tracking id.')),
  err, h('button', {type: 'submit', class: 'primary'}, 'Invite'));

  // Import many
  const file = h('input', {type: 'file', accept: '.csv,text/csv', name: 'csv-file'});
  const csvText = h('textarea', {name: 'csv', rows: 4, placeholder: 'name,email,external_ref'});
  // Read strictly: a file that is not UTF-8 is refused, never turned into replacement characters.
  file.addEventListener('change', async () => {
    if (!file.files[0]) return;
    try {
      csvText.value = new TextDecoder('utf-8', {fatal: true}).decode(await file.files[0].arrayBuffer());
      ierr.replaceChildren();
    } catch {
      csvText.value = '';
      ierr.replaceChildren(h('p', {class: 'error', role: 'alert'}, 'This file is not UTF-8 text: save it from the spreadsheet as "CSV UTF-8" and choose it again.'));
    }
  });
  const ierr = h('div');
  const importForm = h('form', {class: 'form', id: 'import-form', onsubmit: async (ev) => {
    ev.preventDefault();
    let text;
    if (await act(ierr, async () => { text = await api('POST', `/api/campaigns/${id}/candidates.csv`, csvText.value, {type: 'text/csv', raw: true}); })) {
      const rows = parseCsv(text);
      const head = rows.shift() || [];
      const col = (n) => head.indexOf(n);
      for (const r of rows) {
        newLinks.push({campaign: String(id), name: r[col('name')], email: r[col('email')], external_ref: r[col('external_ref')], candidate_id: r[col('candidate_id')], link: r[col('link')]});
      }
      await reload();
      announce(`${rows.length} candidate${rows.length === 1 ? '' : 's'} invited from the CSV: download the links now`, 'ok');
    }
  }}, h('h2', {}, 'Import candidates from CSV'),
  h('p', {class: 'hint'}, 'A header row name,email,external_ref, then one candidate a line. A bad row refuses the whole file.'),
  field('CSV file', file), field('Or paste the CSV', csvText),
  ierr, h('button', {type: 'submit'}, 'Import and invite'));

  const mine = newLinks.filter((l) => l.campaign === String(id));
  const linksSection = mine.length ? h('section', {class: 'links', 'aria-labelledby': 'links-h'},
    h('h2', {id: 'links-h'}, 'New links'),
    h('p', {class: 'notice'}, 'Each link is shown only here and now: the server keeps only a fingerprint of it. Download them for your mail system before leaving this page.'),
    h('table', {class: 'data', id: 'new-links'},
      h('thead', {}, h('tr', {}, ['Name', 'E-mail', 'Link'].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, mine.map((l) => {
        const input = h('input', {type: 'text', readonly: true, value: l.link, class: 'link-field', 'aria-label': `Link for ${l.name}`, onfocus: (ev) => ev.target.select()});
        return h('tr', {}, h('th', {scope: 'row'}, l.name), h('td', {}, l.email), h('td', {}, input));
      }))),
    h('button', {type: 'button', id: 'download-links', class: 'primary', onclick: () => {
      const lines = ['name,email,external_ref,candidate_id,link', ...mine.map((l) => [l.name, l.email, l.external_ref, l.candidate_id, l.link].map(csvCell).join(','))];
      download(`campaign-${id}-links.csv`, `${lines.join('\r\n')}\r\n`);
    }}, 'Download links (CSV)')) : null;

  const statusText = {invited: 'Invited', started: 'Started', submitted: 'Submitted', revoked: 'Revoked', expired: 'Expired'};
  const rows = candidates.map((p) => {
    const actions = h('div', {class: 'actions'});
    const drawActions = () => {
      const b = [];
      if (p.status !== 'revoked' && p.status !== 'submitted') {
        const revoke = h('button', {type: 'button', class: 'small danger', 'aria-label': `Revoke the link of ${p.name}`, onclick: () => {
          revoke.replaceWith(h('span', {class: 'confirm-inline'}, `Revoke ${p.name}'s link? `,
            h('button', {type: 'button', class: 'small danger', onclick: () => act(null, async () => { await post(`/api/candidates/${p.id}/revoke`); await reload(); announce(`${p.name}'s link revoked`, 'ok'); })}, 'Yes, revoke'),
            h('button', {type: 'button', class: 'small', onclick: drawActions}, 'No')));
        }}, 'Revoke');
        b.push(revoke);
      }
      if (p.status !== 'submitted') {
        // A started attempt is handed on (the new link continues it in another browser); otherwise a new link replaces the old.
        const handOver = p.status === 'started';
        b.push(h('button', {type: 'button', class: 'small', 'aria-label': handOver ? `Let ${p.name} continue in another browser` : `New link for ${p.name}`, onclick: () => act(null, async () => {
          const r = await post(handOver ? `/api/candidates/${p.id}/hand-over` : `/api/candidates/${p.id}/link`);
          newLinks.push({campaign: String(id), name: p.name, email: p.email, external_ref: p.external_ref, candidate_id: p.id, link: r.link});
          await reload();
          announce(handOver ? `New link for ${p.name}: it continues the attempt in the first browser that opens it; the old link and browser no longer work` : `New link for ${p.name}: the old one no longer works`, 'ok');
        })}, handOver ? 'Continue elsewhere' : 'New link'));
      }
      const erase = h('button', {type: 'button', class: 'small danger', 'data-action': 'delete', 'aria-label': `Delete the data of ${p.name}`, onclick: () => {
        erase.replaceWith(h('span', {class: 'confirm-inline'}, `Delete ${p.name}'s personal data and attempts? This cannot be undone. `,
          h('button', {type: 'button', class: 'small danger', 'data-action': 'confirm-delete', onclick: () => act(null, async () => { await del(`/api/candidates/${p.id}`);
            for (let i = newLinks.length - 1; i >= 0; i--) if (String(newLinks[i].candidate_id) === String(p.id)) newLinks.splice(i, 1);
            await reload(); announce(`${p.name}'s data deleted`, 'ok'); })}, 'Yes, delete'),
          h('button', {type: 'button', class: 'small', onclick: drawActions}, 'No')));
      }}, 'Delete data');
      b.push(h('button', {type: 'button', class: 'small', 'aria-label': `Extra time for ${p.name}`, onclick: () => {
        const minutes = h('input', {type: 'number', min: 0, step: 1, value: String(Math.round((p.extra_time || 0) / 60)), class: 'short'});
        const note = h('input', {type: 'text', value: p.extra_time_note || ''});
        const e = h('div');
        actions.replaceChildren(h('form', {class: 'inline', onsubmit: async (ev) => {
          ev.preventDefault();
          if (await act(e, () => post(`/api/candidates/${p.id}/accommodation`, {extra_time: Math.round(Number(minutes.value || 0) * 60), note: note.value}))) {
            await reload();
            announce(`Extra time for ${p.name} recorded`, 'ok');
          }
        }}, field('Extra minutes', minutes), field('Reason', note), e,
        h('button', {type: 'submit', class: 'small primary'}, 'Save'),
        h('button', {type: 'button', class: 'small', onclick: drawActions}, 'Cancel')));
        minutes.focus();
      }}, 'Extra time'));
      b.push(erase);
      actions.replaceChildren(...b);
    };
    drawActions();
    return h('tr', {'data-candidate': p.id},
      h('th', {scope: 'row'}, p.name, p.external_ref ? h('span', {class: 'sub'}, p.external_ref) : null),
      h('td', {}, p.email),
      h('td', {class: `status-${p.status}`}, statusText[p.status] || p.status),
      h('td', {}, p.extra_time ? `${Math.round(p.extra_time / 60)} min (${p.extra_time_by}${p.extra_time_note ? `: ${p.extra_time_note}` : ''})` : '—'),
      h('td', {}, flagList(p.flags)),
      h('td', {}, actions));
  });

  // Counted here from the candidates themselves, one status each.
  const counts = {};
  for (const p of candidates) counts[p.status] = (counts[p.status] || 0) + 1;
  show(c.title, h('h1', {}, c.title),
    h('dl', {class: 'facts'},
      h('dt', {}, 'Assessment'), h('dd', {}, `${c.assessment.title} (${c.assessment.id} ${c.assessment.version})`),
      h('dt', {}, 'Mode'), h('dd', {}, c.mode === 'practice' ? 'Practice: candidates see feedback' : 'Screening: candidates see only "received"'),
      h('dt', {}, 'Open'), h('dd', {}, `${formatTime(c.opens)} to ${formatTime(c.closes)}`),
      h('dt', {}, 'Time limit'), h('dd', {}, duration(c.time_limit)),
      h('dt', {}, 'Retakes'), h('dd', {}, String(c.retakes)),
      h('dt', {}, 'Data kept'), h('dd', {}, c.retention_days ? `${c.retention_days} days after closing, then deleted` : 'until deleted'),
      h('dt', {}, 'Candidates'), h('dd', {id: 'counts'}, `${candidates.length} invited: ${counts.invited || 0} not started, ${counts.started || 0} started, ${counts.submitted || 0} submitted, ${counts.revoked || 0} revoked${counts.expired ? `, ${counts.expired} expired` : ''}`)),
    h('p', {}, h('a', {href: `/staff#campaigns/${id}/results`, class: 'button primary', id: 'results-link'}, 'Results and ranking'), ' ',
      h('a', {href: `/staff#campaigns/${id}/evidence`, class: 'button', id: 'evidence-link'}, 'Item analysis')),
    linksSection,
    h('section', {'aria-labelledby': 'cands-h'}, h('h2', {id: 'cands-h'}, 'Candidates'),
      candidates.length === 0 ? h('p', {}, 'Nobody invited yet.') :
        scrollBox('Candidates', h('table', {class: 'data', id: 'candidates'},
          h('thead', {}, h('tr', {}, ['Name', 'E-mail', 'Status', 'Extra time', 'Flags', 'Actions'].map((t) => h('th', {scope: 'col'}, t)))),
          h('tbody', {}, rows)))),
    invite, importForm);
}

function flagList(flags) {
  if (!flags || !flags.length) return '—';
  const label = {focus_lost: 'left the page', paste: 'pasted text', second_browser: 'second browser'};
  const counts = {};
  for (const f of flags) counts[f.kind] = (counts[f.kind] || 0) + 1;
  return h('ul', {class: 'flags'}, Object.entries(counts).map(([k, n]) => h('li', {}, `${label[k] || k}${n > 1 ? ` ×${n}` : ''}`)));
}

// ---------------------------------------------------------------------------------------------
// Results

async function results(id) {
  const [c, res, log, items] = await Promise.all([get(`/api/campaigns/${id}`), get(`/api/campaigns/${id}/results`),
    get(`/api/campaigns/${id}/log`), get(`/api/campaigns/${id}/items`)]);
  watch(() => get(`/api/campaigns/${id}/results`), res);
  // Every item of the assessment, not only those of one candidate's form.
  const item = h('select', {name: 'item', required: true}, items.filter((i) => !i.excluded).map((i) =>
    h('option', {value: i.id}, `${itemName(i.id, i.title)} (${i.competency}${i.critical ? ', critical' : ''})`)));
  const reason = h('input', {type: 'text', name: 'reason', required: true});
  const err = h('div');
  const submitted = res.ranking.filter((r) => r.attempt_id).length;
  const confirmRow = h('div', {class: 'actions'});
  const exclude = h('form', {class: 'form', id: 'exclude-form', onsubmit: (ev) => {
    ev.preventDefault();
    if (!reason.value.trim()) return;
    // One more step: exclusion rescores every submitted attempt.
    confirmRow.replaceChildren(h('span', {class: 'confirm-inline'}, `Exclude ${item.value} for everyone and rescore ${submitted} attempt${submitted === 1 ? '' : 's'}? `,
      h('button', {type: 'button', class: 'small danger', id: 'confirm-exclude', onclick: async () => {
        let r;
        if (await act(err, async () => { r = await post(`/api/campaigns/${id}/exclusions`, {item: item.value, reason: reason.value.trim()}); })) {
          const which = item.value;
          await results(id);
          announce(`Item ${which} excluded; ${r.rescored} attempt${r.rescored === 1 ? '' : 's'} rescored`, 'ok');
        }
      }}, 'Yes, exclude'),
      h('button', {type: 'button', class: 'small', onclick: () => confirmRow.replaceChildren()}, 'No')));
  }}, h('h2', {}, 'Exclude a flawed item'),
  h('p', {class: 'hint'}, 'The item then counts for no one: every submitted attempt is rescored and the change is logged. It can be counted again.'),
  h('div', {class: 'row'}, field('Item', item), field('Reason', reason)), err,
  h('button', {type: 'submit', class: 'danger'}, 'Exclude and rescore'), confirmRow);
  const excludedNow = items.filter((i) => i.excluded);
  const excludedList = excludedNow.length ? h('section', {id: 'excluded-items'}, h('h2', {}, 'Excluded items'),
    h('ul', {}, excludedNow.map((i) => h('li', {}, `${itemName(i.id, i.title)}: ${i.excluded.reason} (${i.excluded.by}, ${formatTime(i.excluded.at)}) `,
      h('button', {type: 'button', class: 'small', 'aria-label': `Count ${i.id} again`, onclick: () => act(err, async () => {
        const r = await del(`/api/campaigns/${id}/exclusions/${encodeURIComponent(i.id)}`);
        await results(id);
        announce(`Item ${i.id} counts again; ${r.rescored} attempt${r.rescored === 1 ? '' : 's'} rescored`, 'ok');
      })}, 'Count it again'))))) : null;

  const ranking = res.ranking.length === 0 ? h('p', {}, 'No submitted attempt yet.') :
    scrollBox('Ranking', h('table', {class: 'data', id: 'ranking'},
      h('thead', {}, h('tr', {}, ['Rank', 'Candidate', 'Outcome', 'Score', 'Level', 'Reasons', 'Flags'].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, res.ranking.map((r) => h('tr', {class: `outcome-${r.outcome}`},
        h('td', {class: 'num'}, r.rank === null || r.rank === undefined ? '—' : String(r.rank)),
        h('th', {scope: 'row'}, r.attempt_id ? h('a', {href: `/staff#campaigns/${id}/attempts/${encodeURIComponent(r.attempt_id)}`}, r.name) : r.name),
        h('td', {}, h('span', {class: `badge ${r.outcome}`}, outcomeLabel(r.outcome))),
        h('td', {class: 'num'}, `${r.percent_display}%`),
        h('td', {}, r.level || '—'),
        h('td', {}, r.reasons && r.reasons.length ? h('ul', {class: 'reasons-cell'}, r.reasons.map((x) => h('li', {}, x.text))) : (r.outcome === 'pending' ? 'awaiting a rating' : '—')),
        h('td', {}, flagList(r.flags)))))));

  show(`Results: ${c.title}`, h('h1', {}, `Results: ${c.title}`),
    h('p', {class: 'no-print'}, h('a', {href: `/staff#campaigns/${id}`}, `Back to the campaign`)),
    h('p', {}, `${res.ranking.length} attempt${res.ranking.length === 1 ? '' : 's'}; ${res.pending} awaiting a rating. Ranked by exact score; pending results last. Flags are for review, never an automatic fail.`),
    h('p', {class: 'exports no-print'},
      h('a', {href: `/api/campaigns/${id}/results.csv`, download: `campaign-${id}-results.csv`, class: 'button', id: 'results-csv'}, 'Download CSV'),
      ' ',
      h('a', {href: `/api/campaigns/${id}/results.jsonl`, download: `campaign-${id}-results.jsonl`, class: 'button', id: 'results-jsonl'}, 'Download JSON Lines'),
      ' ',
      h('a', {href: `/api/campaigns/${id}/report.html`, class: 'button', id: 'results-report'}, 'HTML report'),
      ' ',
      h('a', {href: `/staff#campaigns/${id}/evidence`, class: 'button', id: 'results-evidence'}, 'Item analysis'),
      ' ',
      h('button', {type: 'button', onclick: () => window.print()}, 'Print')),
    ranking,
    h('div', {class: 'no-print'}, exclude, excludedList),
    h('section', {'aria-labelledby': 'log-h', class: 'log'}, h('h2', {id: 'log-h'}, 'Log'),
      log.length === 0 ? h('p', {}, 'Nothing logged yet.') :
        h('table', {class: 'data'}, h('thead', {}, h('tr', {}, ['When', 'Who', 'What', 'Detail'].map((t) => h('th', {scope: 'col'}, t)))),
          h('tbody', {}, log.map((l) => h('tr', {}, h('td', {}, formatTime(l.at)), h('td', {}, l.user), h('td', {}, l.action), h('td', {}, typeof l.detail === 'string' ? l.detail : JSON.stringify(l.detail))))))));
}

async function attemptPage(campaignId, attemptId) {
  const [a, res] = await Promise.all([get(`/api/attempts/${encodeURIComponent(attemptId)}`), get(`/api/campaigns/${campaignId}/results`)]);
  const row = res.ranking.find((r) => r.attempt_id === attemptId);
  const name = row ? row.name : attemptId;
  const r = a.result;
  const parts = [h('h1', {}, `${name}: item-level result`),
    h('p', {class: 'no-print'}, h('a', {href: `/staff#campaigns/${campaignId}/results`}, 'Back to the ranking'), ' ',
      h('button', {type: 'button', onclick: () => window.print()}, 'Print'))];
  parts.push(h('dl', {class: 'facts'},
    h('dt', {}, 'Attempt'), h('dd', {}, attemptId),
    h('dt', {}, 'Started'), h('dd', {}, formatTime(a.attempt.started)),
    h('dt', {}, 'Submitted'), h('dd', {}, formatTime(a.attempt.submitted)),
    r ? [h('dt', {}, 'Outcome'), h('dd', {}, h('span', {class: `badge ${r.outcome}`}, outcomeLabel(r.outcome))),
      h('dt', {}, 'Score'), h('dd', {}, `${r.percent_display}% (${pointsText(r.points, r.max)}; pass mark ${exact(r.pass_percent)}%)`),
      h('dt', {}, 'Level'), h('dd', {}, r.level || '—')] : null,
    h('dt', {}, 'Flags'), h('dd', {}, a.flags && a.flags.length
      ? h('ul', {class: 'flags'}, a.flags.map((f) => h('li', {}, `${f.kind.replace('_', ' ')} (${f.detail}) at ${formatTime(f.at)}`))) : 'none')));
  if (!r) {
    parts.push(h('p', {}, 'Not scored yet: the attempt has not been submitted.'));
    return show(name, parts);
  }
  parts.push(reasonList(r.reasons));
  if (r.pending && r.pending.length) parts.push(h('div', {class: 'reasons'}, h('h3', {}, 'Pending'), h('ul', {}, r.pending.map((p) => h('li', {}, p.text)))));
  parts.push(profile(r.competencies));
  parts.push(h('section', {'aria-labelledby': 'items-h'}, h('h2', {id: 'items-h'}, 'Items'),
    scrollBox('Items', h('table', {class: 'data items', id: 'items'},
      h('thead', {}, h('tr', {}, ['Item', 'Competency', 'Status', 'Points', 'Criteria', 'Response'].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, r.items.map((it, i) => h('tr', {class: `item-${it.status}`},
        h('th', {scope: 'row'}, `${i + 1}. ${it.title || it.id}`, it.title ? h('span', {class: 'sub'}, it.id) : null, h('span', {class: 'sub'}, it.type), it.critical ? h('span', {class: 'sub'}, 'critical') : null,
          a.prompts && a.prompts[it.id] ? h('details', {class: 'question'}, h('summary', {}, 'Question'), promptBlock(a.prompts[it.id])) : null),
        h('td', {}, it.competency || '—'),
        h('td', {}, it.status + (it.pending ? ' (awaiting rating)' : '') + (it.exclusion ? `: ${it.exclusion}` : '')),
        h('td', {class: 'num'}, `${exact(it.points)} / ${exact(it.max)}`),
        h('td', {}, h('ul', {class: 'criteria'}, (it.criteria || []).map((c) =>
          h('li', {}, `${c.id}: ${exact(c.earned)} of ${c.points}${c.rated ? ' (rated)' : ''}${c.critical ? ' (critical)' : ''}`)))),
        h('td', {class: 'response'}, a.responses_text && a.responses_text[it.id] ? h('span', {class: 'pre'}, a.responses_text[it.id])
          : it.response ? describeResponse(it.response) : '—'))))))));
  show(name, parts);
}

// ---------------------------------------------------------------------------------------------
// Ratings

async function ratings() {
  const list = await get('/api/campaigns');
  const groups = await Promise.all(list.map(async (c) => ({c, items: await get(`/api/campaigns/${c.id}/ratings`)})));
  // What is waiting to be rated, campaign by campaign.
  const waiting = async () => Promise.all((await get('/api/campaigns')).map((c) => get(`/api/campaigns/${c.id}/ratings`)));
  watch(waiting, groups.map((g) => g.items));
  const total = groups.reduce((n, g) => n + g.items.length, 0);
  const sections = groups.filter((g) => g.items.length).map(({c, items}) => h('section', {'aria-label': c.title},
    h('h2', {}, c.title),
    items.map((x) => {
      const name = uid('level');
      const err = h('div');
      const article = h('article', {class: 'rating', 'data-attempt': x.attempt_id, 'data-item': x.item});
      const levels = x.levels.map((l) => {
        const id = uid('lv');
        return h('div', {class: 'option level'},
          h('input', {type: 'radio', name, id, value: l.name, required: true}),
          h('label', {for: id}, h('strong', {}, `${l.name}`), ` (${l.points} point${l.points === 1 ? '' : 's'})`, l.descriptor ? h('span', {class: 'descriptor'}, l.descriptor) : null));
      });
      article.append(
        h('h3', {}, `Attempt ${x.attempt_id}, item ${itemName(x.item, x.title)}, criterion ${x.criterion}`),
        promptBlock(x.prompt),
        h('div', {class: 'answer-text', tabindex: 0, role: 'region', 'aria-label': 'The candidate\'s answer'},
          x.response_text ? h('p', {class: 'pre'}, x.response_text) : responseBlocks(x.response)),
        h('form', {class: 'form', onsubmit: async (ev) => {
          ev.preventDefault();
          const chosen = article.querySelector(`input[name="${name}"]:checked`);
          if (!chosen) return err.replaceChildren(errorBox('choose a level'));
          if (await act(err, () => post(`/api/attempts/${encodeURIComponent(x.attempt_id)}/ratings`, {item: x.item, criterion: x.criterion, level: chosen.value}))) {
            await ratings();
            announce(`Rated ${x.item} of attempt ${x.attempt_id}: ${chosen.value}`, 'ok');
          }
        }}, h('fieldset', {}, h('legend', {}, 'Rubric level'), levels), err,
        h('button', {type: 'submit', class: 'primary'}, 'Submit rating')));
      return article;
    })));
  show('Ratings', h('h1', {}, 'Ratings'),
    h('p', {}, total ? `${total} answer${total === 1 ? '' : 's'} awaiting a level. Candidates' names are not shown here.` : 'Nothing awaits a rating.'),
    sections);
}

function responseBlocks(response) {
  if (response && typeof response === 'object' && !Array.isArray(response)) {
    const entries = Object.entries(response);
    if (entries.length === 1 && typeof entries[0][1] === 'string') return h('p', {class: 'pre'}, entries[0][1]);
    return entries.map(([k, v]) => h('p', {class: 'pre'}, h('strong', {}, `${k}: `), typeof v === 'string' ? v : describeResponse(v)));
  }
  return h('p', {class: 'pre'}, describeResponse(response));
}
