// The patient's timeline of cramps, drinks, routines and notes: filtered by kind, a page at a
// time, each entry with what was said about it and a way to comment on it.
import { h, field } from '../dom.js';
import { api } from '../api.js';
import { summary } from '../views/diary.js';
import { CONTEXTS, RED_FLAGS, RELIEFS, TRIGGERS } from '../labels.js';
import { badge, loading, moment } from './frame.js';

const KINDS = { '': 'Everything', cramp: 'Cramps', hydration: 'Drinks', routine: 'Routines', note: 'Notes' };
const PER_PAGE = 20;
const words = (map, values) => values.map((value) => map[value] || value).join(', ');

function details(data) {
  if (data.kind !== 'cramp') return [];
  return [
    h('p', {}, `Situation: ${(CONTEXTS[data.context] || data.context).toLowerCase()}.`
      + (data.triggers.length ? ` Possible causes: ${words(TRIGGERS, data.triggers)}.` : '')
      + (data.reliefs.length ? ` Helped: ${words(RELIEFS, data.reliefs)}.` : '')),
    data.red_flags.length ? h('p', { class: 'flags' }, `Warning signs: ${words(RED_FLAGS, data.red_flags)}.`) : null,
    data.note ? h('p', {}, `“${data.note}”`) : null,
  ];
}

export function note(comment) {
  return h('blockquote', { class: 'comment' }, h('p', {}, comment.text), h('footer', { class: 'hint' }, `Your comment, ${moment(comment.created_at)}`));
}

function item(entry, notes, onComment) {
  const text = summary(entry.data);
  const level = entry.assessment?.level;
  return h('li', { class: 'entry', 'data-key': entry.key, 'data-kind': entry.kind },
    h('p', { class: 'title' }, h('time', { datetime: entry.occurred_at }, moment(entry.occurred_at)), ' · ', text),
    level && level !== 'self_care' ? badge(level) : null,
    details(entry.data),
    notes.filter((n) => n.entry_key === entry.key).map(note),
    h('button', { type: 'button', 'aria-label': `Comment on this entry: ${text}`, onclick: () => onComment(entry, text) }, 'Comment on this entry'));
}

/**
 * The timeline within `range` (a query string of from and to). `notes` are the comments sent
 * so far; `onComment(entry, text)` starts a comment on one entry. Returns {element, noted}.
 */
export function timeline(patientId, range, notes, onComment) {
  const state = { kind: '', page: 1 };
  const list = h('div', {});
  const show = () => list.replaceChildren(loading('Loading entries…', read));
  const turn = (by) => () => { state.page += by; show(); };
  async function read() {
    const query = new URLSearchParams(range);
    query.set('page', state.page);
    query.set('per_page', PER_PAGE);
    if (state.kind) query.set('kind', state.kind);
    const body = await api('GET', `/care/patients/${patientId}/entries?${query}`);
    if (!body.items.length) return h('p', {}, 'Nothing logged in this period.');
    const pages = Math.max(1, Math.ceil(body.total / body.per_page));
    return [
      h('ol', { class: 'entries timeline' }, body.items.map((entry) => item(entry, notes, onComment))),
      h('div', { class: 'row pager' },
        h('button', { type: 'button', disabled: state.page <= 1, onclick: turn(-1) }, 'Newer entries'),
        h('p', {}, `Page ${body.page} of ${pages}, ${body.total} ${body.total === 1 ? 'entry' : 'entries'}`),
        h('button', { type: 'button', disabled: !body.has_more, onclick: turn(1) }, 'Older entries')),
    ];
  }
  const filter = field('Show', h('select', {
    name: 'kind',
    onchange(event) { state.kind = event.target.value; state.page = 1; show(); },
  }, Object.entries(KINDS).map(([value, label]) => h('option', { value }, label))));
  show();
  const element = h('section', { class: 'card', 'aria-labelledby': 'timeline-h' },
    h('h2', { id: 'timeline-h' }, 'Timeline'), h('div', { class: 'row filters' }, filter), list);
  // A comment just sent shows under its entry at once.
  const noted = (comment) => list.querySelector(`[data-key="${CSS.escape(comment.entry_key)}"] > button`)?.before(note(comment));
  return { element, noted };
}
