// A routine the physio composes from catalogue exercises, each with the physio's own dose.
import { h, field } from '../dom.js';
import { picture } from '../drawings.js';

const MAX_ITEMS = 20;

const number = (name, min, max, value) => h('input', {
  name, type: 'number', min, max, step: 1, required: true, value: String(value), inputmode: 'numeric',
});
const check = (name, label, checked) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', name, checked }), label);

/** One exercise's dose: holds or repetitions, sets, rest, sides. */
function editor(exercise, remove) {
  const dose = exercise.dose;
  const hold = field('Seconds per hold', number('hold_s', 1, 1800, dose.hold_s ?? 30));
  const reps = field('Repetitions', number('reps', 1, 50, dose.reps ?? 10));
  const release = check('until_release', 'Hold until it lets go (one hold, one side)', dose.until_release);
  const show = (how) => {
    for (const [part, on] of [[hold, how === 'hold'], [reps, how === 'reps'], [release, how === 'hold']]) {
      part.hidden = !on;
      part.querySelector('input').disabled = !on; // a hidden field is neither checked nor sent
    }
  };
  const measure = h('select', { name: 'measure', onchange: (event) => show(event.target.value) },
    h('option', { value: 'hold', selected: dose.hold_s != null }, 'Holds, in seconds'),
    h('option', { value: 'reps', selected: dose.hold_s == null }, 'Repetitions'));
  const element = h('li', {}, h('fieldset', { class: 'card dose' },
    h('legend', {}, exercise.name),
    picture(exercise.slug, 'list-pose'),
    h('div', { class: 'row' }, field('Dose', measure), hold, reps,
      field('Sets', number('sets', 1, 10, dose.sets)),
      field('Rest between sets (s)', number('rest_s', 0, 300, dose.rest_s))),
    h('div', { class: 'row' }, check('per_side', 'Each side', dose.per_side), release,
      h('button', { type: 'button', class: 'warn', onclick: remove }, `Remove ${exercise.name}`))));
  show(measure.value);
  const read = () => {
    const value = (name) => Number(element.querySelector(`[name=${name}]`).value);
    const ticked = (name) => element.querySelector(`[name=${name}]`).checked;
    const byHold = measure.value === 'hold';
    return {
      exercise: exercise.slug,
      dose: {
        hold_s: byHold ? value('hold_s') : null, reps: byHold ? null : value('reps'),
        until_release: byHold && ticked('until_release'),
        sets: value('sets'), per_side: ticked('per_side'), rest_s: value('rest_s'),
      },
    };
  };
  return { element, read };
}

/** The composer: a name, a summary and the exercises; read() gives the wire's `composed`. */
export function composer(exercises) {
  const items = [];
  const list = h('ol', { class: 'cards composed-items' });
  const empty = h('p', { class: 'hint' }, 'No exercises yet: pick one and add it.');
  const name = h('input', { name: 'name', required: true, maxlength: 80, autocomplete: 'off' });
  const summary = h('input', { name: 'summary', maxlength: 400, autocomplete: 'off' });
  const picker = h('select', { name: 'exercise' }, exercises.map((e) => h('option', { value: e.slug }, e.name)));
  const paint = () => { empty.hidden = items.length > 0; };
  const add = () => {
    if (items.length >= MAX_ITEMS) return;
    const exercise = exercises.find((e) => e.slug === picker.value);
    const item = editor(exercise, () => {
      items.splice(items.indexOf(item), 1);
      item.element.remove();
      paint();
      picker.focus();
    });
    items.push(item);
    list.append(item.element);
    paint();
    item.element.querySelector('select').focus();
  };
  const element = h('div', { class: 'stack composer' },
    field('Routine name', name),
    field('What it is for', summary, 'Optional: a line the patient sees with the routine.'),
    h('div', { class: 'row' }, field('Exercise', picker), h('button', { type: 'button', onclick: add }, 'Add exercise')),
    list, empty);
  const read = () => ({ name: name.value.trim(), summary: summary.value.trim(), items: items.map((item) => item.read()) });
  const clear = () => { items.splice(0).forEach((item) => item.element.remove()); paint(); };
  return { element, read, clear, count: () => items.length };
}
