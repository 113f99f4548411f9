// Presentation v1 → accessible form controls, and back to response v1 (docs/formats.md).
// Generic: it knows the nine interaction types and the five material kinds, nothing about items.
import {field, h, sideways, uid} from './dom.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

// A number as people type or paste it, in the form a response carries, as the terminal and the
// plugins read it (sdk/reading.hpp): the Unicode minus, the no-break, figure and thin spaces,
// digits grouped in threes by a space ("11 112"); anything else is left for DECIMAL to refuse.
export function plainNumber(typed) {
  let v = typed.replace(/\u2212/g, '-').replace(/[\u00a0\u2007\u2009\u202f]/g, ' ').trim();
  if (/^[+-]?\d{1,3}( \d{3})+([.,]\d+)?$/.test(v)) v = v.replace(/ /g, '');
  return v;
}

/// Whether an empty selection is an answer (as the terminal's '-' for none).
function allowsEmpty(it) {
  if (it.type === 'choice') return it.multiple === true && it.min === 0;
  if (it.type === 'select-lines') return it.min === undefined || it.min === 0;
  return false;
}

/// `figureUrl(k)`: where the page loads the item's picture k (from 1); without it a picture is
/// shown as its description.
export function renderMaterial(m, index, skipLines, figureUrl) {
  const label = `Material ${index + 1}`;
  if (m.kind === 'image') {
    const caption = m.caption ? h('figcaption', {}, m.caption) : null;
    if (!figureUrl) return h('figure', {class: 'material image'}, h('p', {}, `Picture ${m.figure}: ${m.alt || ''}`), caption);
    return h('figure', {class: 'material image'}, h('img', {src: figureUrl(m.figure), alt: m.alt || '', loading: 'lazy'}), caption);
  }
  if (m.kind === 'text') {
    return h('div', {class: 'material text'}, String(m.text || '').split('\n').map((p) => (p ? h('p', {}, p) : null)));
  }
  if (m.kind === 'code') {
    const pre = h('pre', {tabindex: 0, 'aria-label': m.language ? `${m.language} listing` : 'listing'}, h('code', {}, m.text || ''));
    return h('figure', {class: 'material code'},
      h('figcaption', {}, label),
      sideways(pre, 'Some lines are longer than the box: scroll it sideways to read them to the end.'), pre);
  }
  if (m.kind === 'table') {
    const wrap = h('div', {class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label},
      h('table', {},
        h('thead', {}, h('tr', {}, (m.columns || []).map((c) => h('th', {scope: 'col'}, c)))),
        h('tbody', {}, (m.rows || []).map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
    const hint = sideways(wrap, `This table is wider than the page: scroll it sideways to see all ${(m.columns || []).length} columns.`);
    return h('div', {class: 'material'}, hint, wrap);
  }
  if (m.kind === 'lines') {
    if (skipLines) return null;  // shown as choices inside the select-lines question
    return h('figure', {class: 'material lines'}, h('figcaption', {}, label),
      h('ol', {}, (m.lines || []).map((l) => h('li', {}, h('code', {}, l.text)))));
  }
  return null;
}


/// One interaction: returns {el, get(), set(value)}. get() is the response value, or
/// undefined when unanswered; it throws an Error with a message when the input is not valid.
function interaction(it, presentation, onChange) {
  const legendText = it.prompt || (presentation.interactions.length > 1 ? it.id : 'Your answer');
  const wrap = (...body) => h('fieldset', {class: `interaction ${it.type}`, 'data-interaction': it.id},
    h('legend', {}, legendText), body);
  const changed = (immediate) => onChange(immediate);

  if (it.type === 'choice' || it.type === 'select-lines') {
    const multiple = it.type === 'select-lines' || it.multiple === true;
    const name = uid('choice');
    let options;
    if (it.type === 'choice') options = it.options.map((o) => ({id: o.id, text: o.text, code: false}));
    else {
      const m = (presentation.material || [])[it.material] || {};
      options = (m.lines || []).map((l, i) => ({id: l.id, text: l.text, code: true, number: i + 1}));
    }
    const inputs = [];
    const none = allowsEmpty(it)
      ? h('input', {type: 'checkbox', name, value: '', onchange: () => { if (none.checked) inputs.forEach((x) => { x.checked = false; }); changed(true); }})
      : null;
    const rows = options.map((o) => {
      const id = uid('opt');
      const input = h('input', {type: multiple ? 'checkbox' : 'radio', name, id, value: o.id,
        onchange: () => { if (none && input.checked) none.checked = false; changed(true); }});
      inputs.push(input);
      const text = o.code ? [h('span', {class: 'line-no'}, `${o.number}`), h('code', {}, o.text)] : o.text;
      return h('div', {class: o.code ? 'option line' : 'option'}, input, h('label', {for: id}, text));
    });
    const hintText = it.type === 'select-lines' ? 'Select every line that applies.'
      : multiple ? 'Select every option that applies.' : 'Select one option.';
    const body = [h('p', {class: 'hint'}, hintText), h('div', {class: 'options'}, rows)];
    if (none) {
      const id = uid('opt');
      none.id = id;
      body.push(h('div', {class: 'option none'}, none,
        h('label', {for: id}, it.type === 'select-lines' ? 'No line applies' : 'None of these')));
    }
    return {
      el: wrap(body),
      get() {
        const chosen = inputs.filter((x) => x.checked).map((x) => x.value);
        if (chosen.length === 0) return none && none.checked ? [] : undefined;
        return chosen;
      },
      set(v) {
        if (!Array.isArray(v)) return;
        inputs.forEach((x) => { x.checked = v.includes(x.value); });
        if (none) none.checked = v.length === 0;
      },
    };
  }

  if (it.type === 'text' || it.type === 'extended-text') {
    const long = it.type === 'extended-text';
    const id = uid('txt');
    const counterId = uid('count');
    const control = long
      ? h('textarea', {id, rows: 8, maxlength: it.max_length || null, 'aria-describedby': counterId})
      : h('input', {id, type: 'text', maxlength: it.max_length || null, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': counterId});
    const counter = h('span', {class: 'hint', id: counterId});
    const count = () => {
      counter.textContent = it.max_length ? `${control.value.length} of at most ${it.max_length} characters` : (long ? `${control.value.length} characters` : '');
    };
    control.addEventListener('input', () => { count(); changed(false); });
    control.addEventListener('blur', () => changed(true));
    count();
    return {
      el: wrap(h('label', {for: id, class: 'visually-hidden'}, legendText), control, counter),
      control,
      get() { const v = control.value.trim(); return v === '' ? undefined : v; },
      set(v) { if (typeof v === 'string') { control.value = v; count(); } },
    };
  }

  if (it.type === 'numeric') {
    const id = uid('num');
    const hintId = uid('hint');
    const value = h('input', {id, type: 'text', inputmode: 'decimal', autocomplete: 'off', 'aria-describedby': hintId, class: 'number'});
    const units = it.units || [];
    const comma = it.decimal_mark === 'comma';
    let unit = null;
    const parts = [h('label', {for: id}, 'Value'), value];
    if (it.unit) parts.push(h('span', {class: 'unit'}, it.unit));
    else if (units.length) {
      const uidU = uid('unit');
      unit = h('select', {id: uidU, onchange: () => changed(true)},
        units.length > 1 ? h('option', {value: ''}, 'choose a unit') : null,
        units.map((u) => h('option', {value: u}, u)));
      parts.push(h('label', {for: uidU}, 'Unit'), unit);
    }
    value.addEventListener('input', () => changed(false));
    value.addEventListener('blur', () => changed(true));
    return {
      el: wrap(h('div', {class: 'numeric-row'}, parts),
        h('p', {class: 'hint', id: hintId}, comma
          ? 'A decimal number with a comma, such as 4,95 (no thousands separators).'
          : 'A decimal number with a point, such as 4.95 (no thousands separators).')),
      get() {
        const typed = value.value.trim();
        if (typed === '') return undefined;
        // The item's locale decides the decimal mark; the response carries a point either way.
        if (comma && typed.includes('.')) throw new Error(`"${typed}" is not a decimal number: write it like 4,95`);
        const plain = plainNumber(typed);
        const v = comma ? plain.replace(',', '.') : plain;
        if (!DECIMAL.test(v)) throw new Error(`"${typed}" is not a decimal number: write it like ${comma ? '4,95' : '4.95'}`);
        const out = {value: v};
        if (it.unit) out.unit = it.unit;
        else if (unit) {
          if (!unit.value) throw new Error('choose the unit too');
          out.unit = unit.value;
        }
        return out;
      },
      set(v) {
        if (!v || typeof v !== 'object') return;
        value.value = comma ? String(v.value || '').replace('.', ',') : v.value || '';
        if (unit && v.unit) unit.value = v.unit;
      },
    };
  }

  if (it.type === 'order') {
    let order = it.options.map((o) => o.id);
    let touched = false;
    const text = Object.fromEntries(it.options.map((o) => [o.id, o.text]));
    const list = h('ol', {class: 'order-list'});
    const live = h('p', {class: 'visually-hidden', 'aria-live': 'polite'});
    const draw = (focusId, dir) => {
      list.replaceChildren(...order.map((oid, i) => h('li', {},
        h('span', {class: 'order-text'}, text[oid]),
        h('span', {class: 'order-buttons'},
          h('button', {type: 'button', class: 'small', 'data-move': 'up', 'data-id': oid, disabled: i === 0,
            'aria-label': `Move "${text[oid]}" up`, onclick: () => move(oid, -1)}, 'Up'),
          h('button', {type: 'button', class: 'small', 'data-move': 'down', 'data-id': oid, disabled: i === order.length - 1,
            'aria-label': `Move "${text[oid]}" down`, onclick: () => move(oid, 1)}, 'Down')))));
      if (focusId) {
        const b = list.querySelector(`button[data-id="${CSS.escape(focusId)}"][data-move="${dir}"]:not([disabled])`) ||
          list.querySelector(`button[data-id="${CSS.escape(focusId)}"]:not([disabled])`);
        if (b) b.focus();
      }
    };
    const move = (oid, by) => {
      const i = order.indexOf(oid), j = i + by;
      if (j < 0 || j >= order.length) return;
      [order[i], order[j]] = [order[j], order[i]];
      touched = true;
      draw(oid, by < 0 ? 'up' : 'down');
      live.textContent = `"${text[oid]}" is now number ${j + 1} of ${order.length}`;
      changed(true);
    };
    draw();
    const keep = h('button', {type: 'button', class: 'secondary', onclick: () => { touched = true; changed(true); }}, 'Use this order');
    return {
      el: wrap(h('p', {class: 'hint'}, 'Put every step in order, first at the top. Move a step with its Up and Down buttons.'), list, keep, live),
      get() { return touched ? [...order] : undefined; },
      set(v) {
        if (!Array.isArray(v) || v.length !== order.length) return;
        order = [...v];
        touched = true;
        draw();
      },
    };
  }

  if (it.type === 'match') {
    const selects = it.left.map((l) => {
      const id = uid('match');
      const s = h('select', {id, 'data-left': l.id, onchange: () => changed(true)},
        h('option', {value: ''}, 'choose'), it.right.map((r) => h('option', {value: r.id}, r.text)));
      return {left: l, s, row: h('div', {class: 'match-row'}, h('label', {for: id}, l.text), s)};
    });
    return {
      el: wrap(h('p', {class: 'hint'}, 'For each entry on the left, choose its match.'), selects.map((x) => x.row)),
      get() {
        const out = {};
        for (const x of selects) if (x.s.value) out[x.left.id] = x.s.value;
        return Object.keys(out).length ? out : undefined;
      },
      set(v) { if (v && typeof v === 'object') for (const x of selects) x.s.value = v[x.left.id] || ''; },
    };
  }

  if (it.type === 'fields') {
    const inputs = it.fields.map((f) => {
      const input = h('input', {type: 'text', autocomplete: 'off', spellcheck: 'false', 'data-field': f.id});
      input.addEventListener('input', () => changed(false));
      input.addEventListener('blur', () => changed(true));
      return {f, input, row: field(f.label, input, f.hint)};
    });
    return {
      el: wrap(inputs.map((x) => x.row)),
      controls: inputs.map((x) => x.input),
      get() {
        const out = {};
        for (const x of inputs) if (x.input.value.trim() !== '') out[x.f.id] = x.input.value.trim();
        return Object.keys(out).length ? out : undefined;
      },
      set(v) { if (v && typeof v === 'object') for (const x of inputs) x.input.value = v[x.f.id] || ''; },
    };
  }

  if (it.type === 'table') {
    const cells = [];
    const body = it.rows.map((r) => h('tr', {},
      h('th', {scope: 'row'}, r.label),
      it.columns.map((c) => {
        const label = `${r.label}: ${c.label}`;
        let control;
        if (c.options && c.options.length) {
          control = h('select', {'aria-label': label, 'data-row': r.id, 'data-col': c.id, onchange: () => changed(true)},
            h('option', {value: ''}, '—'), c.options.map((o) => h('option', {value: o.id}, o.text)));
        } else {
          control = h('input', {type: 'text', 'aria-label': label, 'data-row': r.id, 'data-col': c.id, autocomplete: 'off'});
          control.addEventListener('input', () => changed(false));
          control.addEventListener('blur', () => changed(true));
        }
        cells.push({r: r.id, c: c.id, control});
        return h('td', {}, control);
      })));
    return {
      el: wrap(h('div', {class: 'table-wrap'},
        h('table', {class: 'answer-table'},
          h('thead', {}, h('tr', {}, h('td', {}), it.columns.map((c) => h('th', {scope: 'col'}, c.label)))),
          h('tbody', {}, body))),
        h('p', {class: 'hint'}, 'Answer the rows the question asks about; a row left empty counts as no answer.')),
      controls: cells.filter((x) => x.control.tagName === 'INPUT').map((x) => x.control),
      get() {
        const out = {};
        for (const x of cells) {
          const v = x.control.value.trim();
          if (v === '') continue;
          (out[x.r] = out[x.r] || {})[x.c] = v;
        }
        return Object.keys(out).length ? out : undefined;
      },
      set(v) {
        if (!v || typeof v !== 'object') return;
        for (const x of cells) x.control.value = (v[x.r] && v[x.r][x.c]) || '';
      },
    };
  }

  return {el: wrap(h('p', {class: 'error'}, `This question uses an interaction this page cannot show ("${it.type}").`)), get: () => undefined, set() {}};
}

/// An item's prompt as the candidate reads it, one paragraph per line (null when there is none).
export function promptBlock(text) {
  return text ? h('div', {class: 'prompt'}, text.split('\n').map((p) => h('p', {}, p))) : null;
}

/// The whole item: prompt, material, interactions. `onChange(immediate)` fires on every edit
/// (immediate: a discrete change such as a click, rather than typing). Returns
/// {el, response() → response v1 object or null (nothing answered), set(response), textControls}.
export function renderItem(presentation, answer, onChange = () => {}, figureUrl = null) {
  const linesUsed = new Set((presentation.interactions || [])
    .filter((it) => it.type === 'select-lines').map((it) => it.material));
  const parts = (presentation.interactions || []).map((it) => ({it, ui: interaction(it, presentation, onChange)}));
  const material = (presentation.material || []).map((m, i) => renderMaterial(m, i, linesUsed.has(i), figureUrl));
  const el = h('div', {class: 'item'},
    promptBlock(presentation.prompt),
    material.some(Boolean) ? h('div', {class: 'materials'}, material) : null,
    parts.map((p) => p.ui.el));
  const api = {
    el,
    response() {
      const out = {};
      for (const p of parts) {
        const v = p.ui.get();
        if (v !== undefined) out[p.it.id] = v;
      }
      return Object.keys(out).length ? out : null;
    },
    set(response) {
      if (!response || typeof response !== 'object') return;
      for (const p of parts) if (response[p.it.id] !== undefined) p.ui.set(response[p.it.id]);
    },
  };
  api.set(answer);
  return api;
}

/// A response v1 as readable text for staff pages (ratings, item results).
export function describeResponse(response) {
  if (response === null || response === undefined) return '';
  if (typeof response === 'string') return response;
  if (Array.isArray(response)) return response.join(', ');
  if (typeof response === 'object') {
    if ('value' in response && Object.keys(response).every((k) => k === 'value' || k === 'unit'))
      return `${response.value}${response.unit ? ` ${response.unit}` : ''}`;
    // Rows and fields in their natural order (a1, a2, a10), not the JSON's sorted text order.
    const entries = Object.entries(response).sort(([a], [b]) => a.localeCompare(b, 'en', {numeric: true}));
    return entries.map(([k, v]) => {
      const inner = describeResponse(v);
      return typeof v === 'object' && v !== null && !Array.isArray(v) && !('value' in v) ? `${k}: {${inner}}` : `${k}: ${inner}`;
    }).join('; ');
  }
  return String(response);
}
