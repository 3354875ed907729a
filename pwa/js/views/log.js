// Log a cramp (defaults: now, the last muscle, medium intensity; "Save" is the second tap),
// and edit or delete any entry.
import { h, heading, chips, field, announce } from '../dom.js';
import { go } from '../router.js';
import { MUSCLES, SIDES, CONTEXTS, TRIGGERS, RELIEFS, RED_FLAGS, DRINKS } from '../labels.js';
import { saveEntry, deleteEntry } from '../outbox.js';
import { record } from '../db.js';
import { likelyContext } from '../records.js';
import { lastMuscle, rememberMuscle } from '../prefs.js';
import { inputValue, isoLocal } from '../time.js';
import { adviceFor } from './help.js';
import { intensityText } from '../vocab.js';
import { stateText } from './cramp.js';
import * as store from '../store.js';

const options = (map, selected) => Object.entries(map).map(([value, label]) => h('option', { value, selected: value === selected }, label));

function whenField(iso) {
  return field('When', h('input', { name: 'when', type: 'datetime-local', required: true, value: inputValue(iso ? new Date(iso) : new Date()) }));
}

function crampForm(data, last, key) {
  const night = store.get().night;
  const initial = {
    muscle: last || 'calf', side: 'both', intensity: 5, duration_s: null,
    context: night ? 'night' : 'other', triggers: [], reliefs: [], red_flags: [], note: '', ...data,
  };
  const intensity = h('input', { name: 'intensity', type: 'range', min: 0, max: 10, step: 1, value: String(initial.intensity) });
  const shown = h('output', {}, intensityText(initial.intensity));
  intensity.addEventListener('input', () => { shown.textContent = intensityText(Number(intensity.value)); });
  const side = chips('Side', SIDES, [initial.side], { single: true, onchange: () => warn() });
  const context = chips('When did it happen?', CONTEXTS, [initial.context], { single: true, onchange: () => warn() });
  const triggers = chips('Possible causes', TRIGGERS, initial.triggers, { onchange: () => warn() });
  const reliefs = chips('What helped', RELIEFS, initial.reliefs);
  // The whole entry is judged, as the server will: its duration, muscle, time and tags count too.
  let form = null;
  const current = () => {
    const blank = { ...initial, kind: 'cramp', occurred_at: initial.occurred_at || isoLocal() };
    try {
      return form ? read(form) : blank;
    } catch {
      return blank; // a half-typed time: judge what is known
    }
  };
  const verdict = adviceFor(current, () => key);
  const warn = () => verdict.update();
  const flags = chips('Warning signs', RED_FLAGS, initial.red_flags, { onchange: () => warn() });
  const minutes = initial.duration_s == null ? '' : String(Math.round(initial.duration_s / 6) / 10);
  const fields = [
    whenField(initial.occurred_at),
    field('Muscle', h('select', { name: 'muscle' }, options(MUSCLES, initial.muscle))),
    side.element,
    h('div', { class: 'field' }, h('label', { for: 'f-intensity' }, 'Intensity ', shown), Object.assign(intensity, { id: 'f-intensity' })),
    field('Duration (minutes)', h('input', { name: 'minutes', type: 'number', min: 0, max: 1440, step: 0.1, value: minutes, inputmode: 'decimal' })),
    context.element,
    h('details', {}, h('summary', {}, 'Causes and relief'), triggers.element, reliefs.element),
    h('details', { open: initial.red_flags.length > 0 }, h('summary', {}, 'Warning signs'), flags.element),
    verdict.element,
    field('Note', h('textarea', { name: 'note', rows: 3, maxlength: 2000 }, initial.note)),
  ];
  const read = (form) => {
    const e = form.elements;
    return {
      kind: 'cramp', occurred_at: isoLocal(new Date(e.when.value)), muscle: e.muscle.value,
      side: side.value() || 'both', intensity: Number(e.intensity.value),
      duration_s: e.minutes.value === '' ? null : Math.round(Number(e.minutes.value) * 60),
      context: context.value() || 'other', triggers: triggers.value(), reliefs: reliefs.value(),
      red_flags: flags.value(), note: e.note.value.trim(),
    };
  };
  const watch = (element) => {
    form = element;
    form.addEventListener('change', warn);
    form.elements.minutes.addEventListener('input', warn);
    warn();
  };
  return { fields, read, watch };
}

function hydrationForm(data) {
  return {
    fields: [
      whenField(data.occurred_at),
      field('Amount (ml)', h('input', { name: 'volume', type: 'number', min: 1, max: 5000, required: true, value: String(data.volume_ml), inputmode: 'numeric' })),
      field('Drink', h('select', { name: 'drink' }, options(DRINKS, data.drink))),
    ],
    read: (form) => ({
      kind: 'hydration', occurred_at: isoLocal(new Date(form.elements.when.value)),
      volume_ml: Number(form.elements.volume.value), drink: form.elements.drink.value,
    }),
  };
}

function noteForm(data) {
  return {
    fields: [whenField(data.occurred_at),
      field('Note', h('textarea', { name: 'text', rows: 5, required: true, maxlength: 5000 }, data.text || ''))],
    read: (form) => ({ kind: 'note', occurred_at: isoLocal(new Date(form.elements.when.value)), text: form.elements.text.value.trim() }),
  };
}

const FORMS = { cramp: crampForm, hydration: hydrationForm, note: noteForm };

async function form(title, kind, data, { key, rec, after = '/' } = {}) {
  const { fields, read, watch } = FORMS[kind](data, await lastMuscle(), key);
  const remove = key && h('div', { class: 'row' }, h('button', {
    type: 'button', class: 'warn',
    onclick(event) {
      event.currentTarget.replaceWith(h('p', {}, 'Delete this entry?'),
        h('button', { type: 'button', class: 'warn', async onclick() { await deleteEntry(key); announce('Deleted'); go('/diary'); } }, 'Yes, delete'),
        h('button', { type: 'button', onclick: () => go(`/entry/${key}`) }, 'Keep it'));
    },
  }, 'Delete'));
  const body = h('form', {
    class: 'stack',
    async onsubmit(event) {
      event.preventDefault();
      const values = read(event.target);
      await saveEntry(values, key);
      if (values.kind === 'cramp') await rememberMuscle(values.muscle);
      announce('Saved');
      go(after);
    },
  }, fields, h('div', { class: 'sticky-save' }, h('button', { type: 'submit', class: 'big primary' }, 'Save')));
  watch?.(body);
  return h('div', { class: 'view' },
    heading(title),
    rec ? h('p', { class: 'entry-state', 'data-state': rec.state }, stateText(rec)) : null,
    body,
    remove);
}

export async function logCramp() {
  // The same guess as relief makes (a workout or a routine just done, the sleep window, the
  // last choice); the chips show it and it stays the person's to change.
  const { context } = await likelyContext();
  return form('Log a cramp', 'cramp', { context });
}

export function logNote() {
  return form('Add a note', 'note', {}, { after: '/diary' });
}

export async function editEntry({ key }) {
  const rec = await record('entry', key);
  if (!rec || rec.deleted) return h('div', { class: 'view' }, heading('Entry not found'), h('a', { href: '#/diary', class: 'button' }, 'Back to the diary'));
  const kind = rec.data.kind;
  if (!FORMS[kind]) {
    return h('div', { class: 'view' }, heading('Routine done'),
      h('p', {}, `${rec.data.completed_steps} of ${rec.data.total_steps} steps.`),
      h('div', { class: 'row' }, h('button', { type: 'button', class: 'warn', async onclick() { await deleteEntry(key); go('/diary'); } }, 'Delete')));
  }
  const { assessment, ...data } = rec.data;
  return form(`Edit ${kind === 'cramp' ? 'cramp' : kind === 'hydration' ? 'drink' : 'note'}`, kind, data, { key, rec, after: '/diary' });
}
