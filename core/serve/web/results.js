// Result v1 pieces shared by the staff and the candidate pages.
import {h} from './dom.js';

/// An exact value of result v1 (docs/formats.md) for people: a whole number as it is ("7"), a
/// fraction as a decimal truncated toward zero to two places ("392/33" is "11.87"), as the CSV,
/// the reasons and the terminal write points.
// An exact fraction ("8/3") or integer as a person reads it: rounded half up to two places,
// trailing zeros dropped ("2.67", "2.5", "1"), as the terminal and the reports show points.
export function exact(text) {
  const m = /^(-?)(\d+)(?:\/(\d+))?$/.exec(String(text ?? ''));
  if (!m) return String(text ?? '');
  const den = BigInt(m[3] ?? '1');
  const hundredths = (BigInt(m[2]) * 200n + den) / (2n * den);
  if (hundredths === 0n) return '0';
  const frac = String(hundredths % 100n).padStart(2, '0').replace(/0+$/, '');
  return `${m[1]}${hundredths / 100n}${frac ? '.' + frac : ''}`;
}

// "2.67 of 4 points", "1 of 1 point".
export function pointsText(points, max) {
  const m = exact(max);
  return `${exact(points)} of ${m} ${m === '1' ? 'point' : 'points'}`;
}

export function reasonList(reasons) {
  if (!reasons || !reasons.length) return null;
  return h('div', {class: 'reasons'}, h('h3', {}, 'Reasons'),
    h('ul', {}, reasons.map((r) => h('li', {'data-code': r.code}, r.text))));
}

/// The competency profile: a bar per competency with its percent written out, and the
/// minimum where the assessment sets one.
export function profile(competencies) {
  if (!competencies || !competencies.length) return null;
  return h('section', {class: 'profile', 'aria-labelledby': 'prof-h'},
    h('h2', {id: 'prof-h'}, 'Competency profile'),
    h('table', {class: 'profile-table'},
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Competency'), h('th', {scope: 'col'}, 'Score'), h('th', {scope: 'col'}, 'Points'), h('th', {scope: 'col'}, 'Minimum'))),
      h('tbody', {}, competencies.map((c) => {
        const pct = Math.max(0, Math.min(100, Number(c.percent_display) || 0));
        const below = c.min_percent !== undefined && c.min_percent !== null && Number(c.percent_display) < Number(c.min_percent);
        const bar = h('span', {class: `bar ${below ? 'below' : ''}`, 'aria-hidden': 'true'}, h('span', {class: 'fill'}));
        bar.firstChild.style.width = `${pct}%`;
        return h('tr', {},
          h('th', {scope: 'row'}, c.title || c.id),
          h('td', {}, h('span', {class: 'pct'}, `${c.percent_display}%`), bar),
          h('td', {}, `${exact(c.points)} / ${exact(c.max)}`),
          h('td', {}, c.min_percent !== undefined && c.min_percent !== null ? `${c.min_percent}%${below ? ' (below)' : ''}` : '—'));
      }))));
}

export const outcomeLabel = (o) => ({pass: 'Pass', fail: 'Fail', pending: 'Pending rating'}[o] || o);
