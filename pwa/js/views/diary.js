// The diary: every entry with its sync state, the server's assessment and the physio's comments.
import { h, heading, field, swap } from '../dom.js';
import { entries, comments } from '../records.js';
import { MUSCLES, SIDES, DRINKS, LEVELS } from '../labels.js';
import { intensityText } from '../vocab.js';
import { dayKey, dayLabel, duration, timeOfDay } from '../time.js';
import { stateText } from './cramp.js';

const SHOW = { all: 'Everything', cramp: 'Cramps', hydration: 'Drinks', routine: 'Routines', note: 'Notes', attention: 'Needing attention' };
const filters = { show: 'all', muscle: '' };

export function summary(data) {
  switch (data.kind) {
    case 'cramp': return [`${MUSCLES[data.muscle] || data.muscle} cramp`, data.side !== 'both' && SIDES[data.side]?.toLowerCase(),
      data.duration_s != null && duration(data.duration_s), `intensity ${intensityText(data.intensity)}`].filter(Boolean).join(', ');
    case 'hydration': return `${data.volume_ml} ml ${DRINKS[data.drink]?.toLowerCase() || ''}`.trim();
    case 'routine': return `Routine: ${data.routine.replace(/-/g, ' ')} (${data.completed_steps} of ${data.total_steps} steps)`;
    default: return data.text;
  }
}

function keep(rec) {
  if (filters.show === 'attention') return rec.state === 'attention';
  if (filters.show !== 'all' && rec.data.kind !== filters.show) return false;
  return !filters.muscle || rec.data.muscle === filters.muscle;
}

function item(rec, notes) {
  const { data, assessment } = rec;
  const text = summary(data);
  return h('li', { class: 'entry', 'data-key': rec.key },
    h('p', { class: 'title' }, h('time', { datetime: data.occurred_at }, timeOfDay(data.occurred_at)), ' ', text),
    h('p', { class: 'entry-state', 'data-state': rec.state }, stateText(rec)),
    rec.notice ? h('p', { class: 'hint' }, rec.notice) : null,
    assessment && assessment.level !== 'self_care' ? h('div', { class: `advice level-${assessment.level}` },
      h('p', { class: 'level' }, LEVELS[assessment.level]?.label || assessment.level),
      assessment.flags.map((flag) => h('p', {}, flag.message)), h('a', { href: '#/help' }, 'When to get help')) : null,
    data.note ? h('p', {}, data.note) : null,
    notes.map((note) => h('blockquote', { class: 'comment' }, h('p', {}, note.text), h('footer', {}, note.author?.display_name || 'Your physiotherapist'))),
    h('a', { href: `#/entry/${rec.key}`, class: 'button', 'aria-label': `Edit or delete: ${text}` }, 'Edit'));
}

async function listing() {
  const [all, notes] = [await entries(), await comments()];
  const shown = all.filter(keep);
  if (!shown.length) return h('p', {}, all.length ? 'Nothing matches these filters.' : 'Nothing logged yet.');
  const days = new Map();
  for (const rec of shown) {
    const day = dayKey(new Date(rec.data.occurred_at));
    if (!days.has(day)) days.set(day, []);
    days.get(day).push(rec);
  }
  return h('div', {}, [...days.values()].map((recs) => h('section', {},
    h('h2', {}, dayLabel(recs[0].data.occurred_at)),
    h('ul', { class: 'entries' }, recs.map((rec) => item(rec, notes.filter((n) => n.entry_key === rec.key)))))));
}

export default async function diary(params, ctx) {
  const results = h('div', {}, await listing());
  const refill = async () => swap(results, [await listing()]);
  const general = (await comments()).filter((note) => !note.entry_key);
  const select = (name, label, choices) => field(label, h('select', {
    name, onchange(event) { filters[name] = event.target.value; refill(); },
  }, Object.entries(choices).map(([value, text]) => h('option', { value, selected: filters[name] === value }, text))));
  ctx.onData(refill);
  return h('div', { class: 'view' },
    heading('Diary'),
    h('div', { class: 'row' }, h('a', { href: '#/log', class: 'button' }, 'Log a cramp'), h('a', { href: '#/note', class: 'button' }, 'Add a note'),
      h('a', { href: '#/patterns', class: 'button' }, 'Your patterns')),
    general.length ? h('section', { class: 'card comment' }, h('h2', {}, 'From your physiotherapist'),
      general.map((note) => h('blockquote', {}, h('p', {}, note.text)))) : null,
    h('div', { class: 'filters row' }, select('show', 'Show', SHOW), select('muscle', 'Muscle', { '': 'Any muscle', ...MUSCLES })),
    results);
}
