// Settings' Water card: one control per hydration setting the server reads, and a caution.
import { h, field, announce } from '../dom.js';
import { go } from '../router.js';
import { entries } from '../records.js';
import { hydrationSettings, saveHydration } from '../reminders.js';
import { isoLocal } from '../time.js';

const NIGHT_DAYS = 90; // as far back as the server looks for night cramps (its default taper)
const PER_KG = [25, 30, 35];
const num = (input) => (input.value === '' ? null : Number(input.value));
const check = (name, label, checked, hint) => h('div', { class: 'field' },
  h('label', { class: 'choice' }, h('input', { type: 'checkbox', name, checked }), label), h('p', { class: 'hint' }, hint));

async function save(changes, said) {
  await saveHydration(changes);
  go('/settings');
  announce(said);
}

function workout({ workout: w }) {
  if (w && Date.parse(w.ends_at) > Date.now()) {
    const until = new Date(w.ends_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    // Ended now, it keeps the allowance for the time done; under a minute, it is dropped.
    const end = () => save({ workout: Date.now() - Date.parse(w.started_at) < 6e4 ? null : { ...w, ends_at: isoLocal() } }, 'Workout ended');
    return [h('p', { role: 'status' }, `Workout on until ${until}: reminders every 20 minutes.`),
      h('button', { type: 'button', onclick: end }, 'End workout')];
  }
  const length = h('select', {}, [30, 60, 90, 120].map((m) => h('option', { value: m, selected: m === 60 }, `${m} minutes`)));
  const start = () => save({ workout: { started_at: isoLocal(), ends_at: isoLocal(new Date(Date.now() + length.value * 6e4)) } }, 'Workout started');
  return [field('Workout length', length), h('button', { type: 'button', onclick: start }, 'Start a workout')];
}

function form(saved, taper) {
  const [quiet, ...otherQuiet] = saved.quiet_hours || [];
  const time = (name, value) => h('input', { name, type: 'time', value: value || '' });
  return h('form', {
    class: 'stack',
    // A refusal left standing would block the next submit, so any edit clears it.
    oninput(event) { for (const name of ['body_weight_kg', 'quiet_end']) event.target.form[name].setCustomValidity(''); },
    onsubmit(event) {
      event.preventDefault();
      const e = event.target.elements;
      if (e.per_kg_ml.value && !e.body_weight_kg.value) e.body_weight_kg.setCustomValidity('Add your weight to use a target per kg.');
      if (!e.quiet_start.value !== !e.quiet_end.value || (e.quiet_start.value && e.quiet_start.value === e.quiet_end.value)) {
        e.quiet_end.setCustomValidity('Give a start and a different end, or neither.');
      }
      if (!event.target.reportValidity()) return;
      const changes = {
        hot_weather: e.hot_weather.checked, body_weight_kg: num(e.body_weight_kg), per_kg_ml: num(e.per_kg_ml),
        fluid_limit_ml: num(e.fluid_limit_ml),
        quiet_hours: [...(e.quiet_start.value ? [{ start: e.quiet_start.value, end: e.quiet_end.value }] : []), ...otherQuiet],
      };
      // Left alone, an unchosen taper stays unchosen, so the server's default still applies.
      if (e.evening_taper.checked !== taper) changes.evening_taper = e.evening_taper.checked;
      save(changes, 'Water settings saved');
    },
  },
  field('My doctor limits my fluids to (ml a day)',
    h('input', { name: 'fluid_limit_ml', type: 'number', min: 500, max: 3000, step: 10, inputmode: 'numeric', value: saved.fluid_limit_ml ?? '' }),
    'Leave empty if not. With a limit, your target stays under it and reminders stop.'),
  check('hot_weather', 'Hot weather', saved.hot_weather, 'Adds 500 ml a day while on.'),
  check('evening_taper', 'Drink less late in the evening', taper, 'Fewer reminders before bed, so you wake less often to pass urine.'
    + (saved.evening_taper == null && taper ? ' On because you logged night cramps.' : '')),
  h('fieldset', {}, h('legend', {}, 'Quiet hours (no reminders)'),
    h('div', { class: 'row' }, field('From', time('quiet_start', quiet?.start)), field('To', time('quiet_end', quiet?.end)))),
  field('Daily target', h('select', { name: 'per_kg_ml' },
    h('option', { value: '' }, `${saved.baseline_ml || 1200} ml a day`),
    PER_KG.map((n) => h('option', { value: n, selected: saved.per_kg_ml === n }, `${n} ml per kg`)))),
  field('Body weight (kg)', h('input', { name: 'body_weight_kg', type: 'number', min: 20, max: 350, step: 0.1, inputmode: 'decimal', value: saved.body_weight_kg ?? '' })),
  h('button', { type: 'submit', class: 'primary' }, 'Save water settings'));
}

export default async function waterSettings() {
  const saved = await hydrationSettings();
  const night = (await entries()).some((r) => r.data.kind === 'cramp' && r.data.context === 'night'
    && Date.now() - Date.parse(r.data.occurred_at) < NIGHT_DAYS * 864e5);
  return h('section', { class: 'card stack', 'aria-labelledby': 'water-settings-h' }, h('h2', { id: 'water-settings-h' }, 'Water'),
    h('div', { class: 'advice', role: 'note' }, h('p', {}, 'Drink to your thirst: far more than that can lower the salt in your blood, which is dangerous. '
      + 'A headache, feeling sick, confusion or swollen hands after drinking a lot is an emergency: call 999 (112 in Europe, 911 in the US).')),
    form(saved, saved.evening_taper ?? night), h('h3', {}, 'Workout'), workout(saved));
}
