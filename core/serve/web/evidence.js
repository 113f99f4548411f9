// The evidence behind a campaign's scores (docs/serve.md, "Item analysis and adverse impact"):
// item analysis for managers, and for administrators only, selection rates by the groups
// candidates gave in the voluntary self-identification form. The candidate's side of that form
// is here too.
import {ApiError, api, get} from './api.js';
import {errorBox, h, scrollBox, show, uid} from './dom.js';

const FLAG = {
  possible_miskey: 'Possible miskey',
  non_functioning_distractor: 'A distractor almost nobody chooses',
  too_easy: 'Too easy',
  too_hard: 'Too hard',
  negative_discrimination: 'Negative discrimination',
  too_few_to_judge: 'Too few to judge',
};

const fixed = (x, digits = 2) => (x === null || x === undefined ? '—' : Number(x).toFixed(digits));
const percent = (x) => (x === null || x === undefined ? '—' : `${(Number(x) * 100).toFixed(1)}%`);

/// A bar of `share` (0 to 1); the figure beside it says the same in words.
function shareBar(share) {
  const bar = h('span', {class: 'bar', 'aria-hidden': 'true'}, h('span', {class: 'fill'}));
  bar.firstChild.style.width = `${Math.max(0, Math.min(100, share * 100))}%`;  // CSSOM: allowed by the CSP
  return bar;
}

function flagCell(flags) {
  if (!flags || !flags.length) return '—';
  return h('ul', {class: 'reasons-cell'}, flags.map((f) => h('li', {class: `flag flag-${f}`}, FLAG[f] || f)));
}

function reliability(a) {
  const rows = [];
  // Only the figures the analysis gives, each saying which figure it is.
  const add = (term, value, digits, note) => {
    if (value === null || value === undefined) return;
    rows.push(h('dt', {}, term), h('dd', {}, fixed(value, digits), note ? h('span', {class: 'hint'}, ` ${note}`) : null));
  };
  add('Cronbach\'s alpha', a.alpha, 3, a.alpha_ci ? `(95% CI ${fixed(a.alpha_ci[0], 3)} to ${fixed(a.alpha_ci[1], 3)}; every candidate saw every item)` : null);
  add('Standard error of measurement', a.sem, 2, 'points');
  add('Conditional SEM at the pass mark', a.csem_at_cut, 2, a.csem_method === 'lord-binomial' ? 'points (Lord\'s binomial error model)' : null);
  add('Decision consistency', a.decision_consistency, 3, a.decision_consistency_method === 'subkoviak-1976' ? '(Subkoviak 1976, single administration)' : null);
  add('Person-separation reliability', a.person_separation, 3, '(Rasch, pooled forms)');
  add('Marginal reliability', a.marginal_reliability, 3, '(2PL, pooled forms)');
  if (!rows.length) return h('p', {}, a.note || 'Not enough results for a reliability figure yet.');
  return [h('dl', {class: 'facts', id: 'reliability'}, rows), a.note ? h('p', {class: 'hint'}, a.note) : null];
}

function distractors(items, name) {
  const flagged = items.filter((i) => i.options && i.options.length && i.flags.some((f) => f === 'possible_miskey' || f === 'non_functioning_distractor'));
  if (!flagged.length) return null;
  return h('section', {'aria-labelledby': 'dis-h'}, h('h2', {id: 'dis-h'}, 'Options of the flagged items'),
    h('p', {class: 'hint'}, 'Share of the candidates who chose each option, and their mean score on the rest of the assessment. A distractor whose choosers outscore the key\'s suggests a wrong key.'),
    flagged.map((i) => scrollBox(`Options of ${name(i.id)}`, h('table', {class: 'data distractors'},
      h('caption', {}, name(i.id)),
      h('thead', {}, h('tr', {}, ['Option', 'Chosen by', 'Share', 'Mean rest score'].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, i.options.map((o) => h('tr', {class: o.key ? 'key' : ''},
        h('th', {scope: 'row'}, o.key ? `${o.id} (key)` : o.id),
        h('td', {class: 'num'}, String(o.n)),
        h('td', {class: 'num'}, percent(o.share), shareBar(o.share)),
        h('td', {class: 'num'}, percent(o.mean_rest)))))))));
}

async function adverseImpact(id, c) {
  const questions = c.self_identification || [];
  const box = h('section', {'aria-labelledby': 'ai-h', id: 'adverse-impact'}, h('h2', {id: 'ai-h'}, 'Adverse impact (administrators only)'));
  if (!questions.length) {
    box.append(h('p', {}, 'This campaign does not ask candidates to self-identify.'));
    return box;
  }
  const select = h('select', {name: 'field', id: uid('field')}, questions.map((q) => h('option', {value: q.id}, q.label)));
  const out = h('div', {'aria-live': 'polite'});
  const load = async () => {
    let r;
    try {
      r = await get(`/api/campaigns/${id}/adverse-impact?field=${encodeURIComponent(select.value)}`);
    } catch (e) {
      return out.replaceChildren(errorBox(e.message));
    }
    const f = r.fairness;
    const counts = h('p', {}, `${r.candidates} scored candidate${r.candidates === 1 ? '' : 's'}; ${r.declined} declined this question; ` +
      `${f ? f.unknown : 0} without a group shown; groups of fewer than ${r.smallest_group_shown} are not shown (${r.in_groups_too_small_to_show} candidate${r.in_groups_too_small_to_show === 1 ? '' : 's'}). ` +
      `A ratio is judged when a group has at least ${r.min_group} candidates.`);
    if (!f || !f.selection.length) return out.replaceChildren(counts, h('p', {}, 'No group to compare yet.'));
    out.replaceChildren(counts, scrollBox('Selection rates', h('table', {class: 'data', id: 'selection-rates'},
      h('caption', {}, 'Selection (pass) rate per group against the highest (four-fifths rule, 29 CFR 1607.4(D)); p from Fisher\'s exact test'),
      h('thead', {}, h('tr', {}, ['Group', 'Candidates', 'Passed', 'Selection rate', 'Impact ratio', 'p', 'Finding'].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, f.selection.map((s) => h('tr', {class: s.adverse_impact ? 'flagged' : ''},
        h('th', {scope: 'row'}, s.group),
        h('td', {class: 'num'}, String(s.n)), h('td', {class: 'num'}, String(s.passed)),
        h('td', {class: 'num'}, percent(s.rate)), h('td', {class: 'num'}, fixed(s.impact_ratio, 3)),
        h('td', {class: 'num'}, fixed(s.p_value, 4)),
        h('td', {}, s.adverse_impact ? 'Adverse impact: ratio below 0.8' : s.judged ? 'No adverse impact' : 'Too few to judge')))))));
  };
  select.addEventListener('change', load);
  box.append(h('p', {class: 'hint'}, 'From the voluntary self-identification form candidates may fill in after submitting: kept apart from results, never shown to managers or raters, and shown only in aggregate.'),
    h('div', {class: 'row'}, h('label', {for: select.id}, 'Compare by '), select), out);
  await load();
  return box;
}

/// The campaign's evidence page: `admin` adds adverse impact; `name(id, title)` names an item.
export async function evidencePage(id, admin, itemName) {
  const [c, s, items] = await Promise.all([get(`/api/campaigns/${id}`), get(`/api/campaigns/${id}/statistics`), get(`/api/campaigns/${id}/items`)]);
  const titles = new Map(items.map((i) => [i.id, itemName(i.id, i.title)]));
  const name = (itemId) => titles.get(itemId) || itemId;
  const parts = [h('h1', {}, `Item analysis: ${c.title}`),
    h('p', {class: 'no-print'}, h('a', {href: `/staff#campaigns/${id}/results`}, 'Back to the results'))];
  const a = s.analysis;
  if (!a) {
    parts.push(h('p', {}, 'No scored attempt yet.'));
  } else {
    parts.push(h('p', {}, `${s.candidates} scored candidate${s.candidates === 1 ? '' : 's'}. An item seen by fewer than ${s.min_n} is marked too few to judge, with no figures.`),
      h('section', {'aria-labelledby': 'rel-h'}, h('h2', {id: 'rel-h'}, 'Reliability'), reliability(a)),
      h('section', {'aria-labelledby': 'items-h'}, h('h2', {id: 'items-h'}, 'Items'),
        scrollBox('Item statistics', h('table', {class: 'data', id: 'item-stats'},
          h('thead', {}, h('tr', {}, ['Item', 'Seen by', 'Facility', 'Item-rest r', 'Discrimination', 'Alpha if deleted', 'Flags'].map((t) => h('th', {scope: 'col'}, t)))),
          h('tbody', {}, a.items.map((i) => h('tr', {class: i.flags.length ? 'flagged' : ''},
            h('th', {scope: 'row'}, name(i.id)),
            h('td', {class: 'num'}, String(i.n)),
            h('td', {class: 'num'}, i.judged ? fixed(i.facility) : '—'),
            h('td', {class: 'num'}, i.judged ? fixed(i.r_it) : '—'),
            h('td', {class: 'num'}, i.judged ? fixed(i.discrimination) : '—'),
            h('td', {class: 'num'}, i.judged ? fixed(i.alpha_if_deleted, 3) : '—'),
            h('td', {}, flagCell(i.flags)))))))),
      distractors(a.items, name));
  }
  if (admin) parts.push(await adverseImpact(id, c));
  show(`Item analysis: ${c.title}`, parts);
}

/// The candidate's voluntary self-identification after submission, in `box`; nothing when the
/// campaign asks nothing.
export async function selfIdentification(base, box) {
  let form;
  try {
    form = await get(`${base}/self-identification`);
  } catch {
    return;  // optional: never stands between the candidate and their receipt
  }
  if (!form.questions.length) return;
  const title = h('h2', {id: 'sid-h'}, 'Voluntary self-identification');
  if (form.answered) {
    box.replaceChildren(title, h('p', {}, 'You have answered these voluntary questions. Thank you.'));
    return;
  }
  const err = h('div');
  const fieldsets = form.questions.map((q) => h('fieldset', {'data-question': q.id},
    h('legend', {}, q.label),
    q.options.map((o) => {
      const input = h('input', {type: 'radio', name: `sid-${q.id}`, value: o, id: uid('sid')});
      return h('div', {class: 'choice'}, input, h('label', {for: input.id}, o));
    })));
  const formEl = h('form', {class: 'form', id: 'self-id-form', onsubmit: async (ev) => {
    ev.preventDefault();
    const answers = {};
    for (const q of form.questions) {
      const chosen = formEl.querySelector(`input[name="sid-${q.id}"]:checked`);
      if (chosen) answers[q.id] = chosen.value;
    }
    try {
      await api('PUT', `${base}/self-identification`, answers);
      box.replaceChildren(title, h('p', {role: 'status'}, 'Thank you: your answers were recorded, apart from your result.'));
    } catch (e) {
      err.replaceChildren(errorBox(e instanceof ApiError ? e.message : String(e)));
    }
  }}, fieldsets, err, h('button', {type: 'submit'}, 'Send these answers'));
  box.replaceChildren(title,
    h('p', {}, 'The hospital asks applicants to describe themselves so that it can check that its screening treats every group fairly. ' +
      'Answering is voluntary and cannot change your result, which is already recorded. Your answers are kept apart from your result, ' +
      'are never shown to the people who assess you, and are used only in counts of groups. A question left blank counts as declined.'),
    formEl);
}
