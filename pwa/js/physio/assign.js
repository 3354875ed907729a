// Assign a programme, a catalogue routine, or a routine the physio composes, from a start date.
import { h, field } from '../dom.js';
import { api } from '../api.js';
import { list } from '../content.js';
import { dayKey } from '../time.js';
import { alertBox, busy } from './frame.js';
import { composer } from './composer.js';

const KINDS = { routine: 'A routine from the catalogue', composed: 'A routine you compose', programme: 'A programme' };

/** A catalogue list: the copy this device keeps, else the server's. */
async function catalogue(kind) {
  const stored = await list(kind);
  return stored.length ? stored : (await api('GET', `/content/${kind}`, undefined, { cache: 'no-cache' })).items;
}

const choose = (label, name, items) => field(label, h('select', { name, required: true },
  items.map((item) => h('option', { value: item.slug }, item.name))));

/** The assignment form; `sent(assignment)` is told of each one made. */
export async function assignForm(patient, sent) {
  const [programmes, routines, exercises] = await Promise.all(['programmes', 'routines', 'exercises'].map(catalogue));
  const compose = composer(exercises);
  // Each kind's own fields sit in a fieldset that is disabled while another kind is chosen.
  const parts = {
    routine: h('fieldset', {}, choose('Routine', 'routine', routines.filter((r) => r.kind !== 'relief'))),
    composed: h('fieldset', {}, compose.element),
    programme: h('fieldset', {}, choose('Programme', 'programme', programmes)),
  };
  const sessions = field('Sessions a week', h('input', { name: 'sessions_per_week', type: 'number', min: 1, max: 21, step: 1, required: true, value: '7', inputmode: 'numeric' }));
  const show = (kind) => {
    for (const [name, part] of Object.entries(parts)) { part.hidden = name !== kind; part.disabled = name !== kind; }
    sessions.hidden = kind === 'programme';
    sessions.querySelector('input').disabled = kind === 'programme'; // a programme sets its own
  };
  const message = alertBox();
  const status = h('p', { role: 'status' });
  const kinds = h('fieldset', {}, h('legend', {}, 'What to assign'),
    Object.entries(KINDS).map(([value, label]) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'kind', value, checked: value === 'routine', onchange: () => show(value) }), label)));
  show('routine');
  const form = h('form', {
    class: 'stack',
    async onsubmit(event) {
      event.preventDefault();
      status.textContent = '';
      const e = form.elements;
      const kind = e.kind.value;
      if (kind === 'composed' && !compose.count()) {
        message.textContent = 'Add at least one exercise to your routine.';
        return;
      }
      const body = { start_date: e.start_date.value, note: e.note.value.trim() };
      if (kind === 'programme') body.programme = e.programme.value;
      else body.sessions_per_week = Number(e.sessions_per_week.value);
      if (kind === 'routine') body.routine = e.routine.value;
      if (kind === 'composed') body.composed = compose.read();
      const made = await busy(form.querySelector('[type=submit]'), message,
        () => api('POST', `/care/patients/${patient.id}/assignments`, body), 'Assigning…');
      if (!made) return;
      e.note.value = '';
      if (kind === 'composed') { compose.clear(); e.name.value = ''; e.summary.value = ''; }
      status.textContent = `Assigned “${made.title}”. It reaches ${patient.display_name}’s phone the next time it syncs.`;
      sent(made);
    },
  }, kinds, Object.values(parts),
  h('div', { class: 'row' },
    field('Start date', h('input', { name: 'start_date', type: 'date', required: true, value: dayKey(new Date()) })),
    sessions),
  field('Note for the patient', h('textarea', { name: 'note', rows: 3, maxlength: 2000 })),
  message, h('button', { type: 'submit', class: 'primary' }, 'Assign'), status);
  return h('section', { class: 'card', 'aria-labelledby': 'assign-h' }, h('h2', { id: 'assign-h' }, 'Assign exercises'), form);
}
