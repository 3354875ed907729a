// Settings for the water target: heat, a workout, the evening taper, quiet hours, the weight-based
// target and a doctor's fluid limit. Each is a field of the synced hydration settings the server reads.
import { h, field, announce } from '../dom.js';
import { go } from '../router.js';
import { entries } from '../records.js';
import { hydrationSettings, saveHydration } from '../reminders.js';
import { isoLocal } from '../time.js';

const NIGHT_CRAMPS_DAYS = 90; // as far back as the server looks for its default taper
const WORKOUT_MIN = { 30: '30 minutes', 60: '1 hour', 90: '1½ hours', 120: '2 hours' };
const PER_KG = { 25: '25 ml per kg', 30: '30 ml per kg', 35: '35 ml per kg' };

/** Whether a night cramp was logged lately: the server then tapers the evening unless told not to. */
async function nightCramps(now = Date.now()) {
  return (await entries()).some((r) => r.data.kind === 'cramp' && r.data.context === 'night'
    && now - Date.parse(r.data.occurred_at) < NIGHT_CRAMPS_DAYS * 864e5);
}

const numberOrNull = (input) => (input.value === '' ? null : Number(input.value));

function check(name, label, checked, hint) {
  return h('div', { class: 'field' },
    h('label', { class: 'choice' }, h('input', { type: 'checkbox', name, checked }), label),
    hint && h('p', { class: 'hint' }, hint));
}

function caution() {
  return h('div', { class: 'advice', role: 'note' },
    h('p', {}, h('strong', {}, 'More is not always better. '),
      'Drink to your thirst. Drinking far more than your thirst asks for can lower the salt in your blood, and that can be dangerous.'),
    h('p', {}, 'A headache, feeling sick, confusion or swollen hands after drinking a lot is an emergency: '
      + 'call 999 (112 in Europe, 911 in the US).'));
}

function workout(saved) {
  const now = Date.now();
  const running = saved.workout && Date.parse(saved.workout.ends_at) > now;
  if (running) {
    const until = new Date(saved.workout.ends_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return h('div', { class: 'stack' }, h('p', { role: 'status' }, `Workout on until ${until}: reminders every 20 minutes.`),
      h('button', {
        type: 'button',
        async onclick() {
          const started = Date.parse(saved.workout.started_at);
          // Ending it now keeps the allowance for the time done; one under a minute is dropped.
          const ended = Date.now() - started < 60_000 ? null : { ...saved.workout, ends_at: isoLocal(new Date()) };
          await saveHydration({ workout: ended });
          go('/settings');
          announce('Workout ended');
        },
      }, 'End workout'));
  }
  const length = h('select', { name: 'workout_min' },
    Object.entries(WORKOUT_MIN).map(([value, label]) => h('option', { value, selected: value === '60' }, label)));
  return h('div', { class: 'stack' }, field('Workout length', length),
    h('button', {
      type: 'button',
      async onclick() {
        const start = new Date();
        const end = new Date(start.getTime() + Number(length.value) * 60_000);
        await saveHydration({ workout: { started_at: isoLocal(start), ends_at: isoLocal(end) } });
        go('/settings');
        announce('Workout started');
      },
    }, 'Start a workout'));
}

function targetForm(saved, taperByDefault) {
  const [quiet, ...moreQuiet] = saved.quiet_hours || [];
  const taper = saved.evening_taper ?? taperByDefault;
  const rule = h('select', { name: 'per_kg_ml' },
    h('option', { value: '', selected: saved.per_kg_ml == null }, `${saved.baseline_ml || 1200} ml a day`),
    Object.entries(PER_KG).map(([value, label]) => h('option', { value, selected: String(saved.per_kg_ml) === value }, label)));
  return h('form', {
    class: 'stack',
    // A refusal from the last try must not block the next: the browser sends no submit while one stands.
    oninput(event) { event.target.form.body_weight_kg.setCustomValidity(''); event.target.form.quiet_end.setCustomValidity(''); },
    async onsubmit(event) {
      event.preventDefault();
      const e = event.target.elements;
      if (e.per_kg_ml.value && !e.body_weight_kg.value) e.body_weight_kg.setCustomValidity('Add your weight to use a target per kg.');
      if (Boolean(e.quiet_start.value) !== Boolean(e.quiet_end.value) || (e.quiet_start.value && e.quiet_start.value === e.quiet_end.value)) {
        e.quiet_end.setCustomValidity('Give quiet hours a start and a different end, or leave both empty.');
      }
      if (!event.target.reportValidity()) return;
      const changes = {
        hot_weather: e.hot_weather.checked,
        quiet_hours: [...(e.quiet_start.value ? [{ start: e.quiet_start.value, end: e.quiet_end.value }] : []), ...moreQuiet],
        body_weight_kg: numberOrNull(e.body_weight_kg),
        per_kg_ml: numberOrNull(e.per_kg_ml),
        fluid_limit_ml: numberOrNull(e.fluid_limit_ml),
      };
      // Untouched, an unchosen taper stays unchosen, so the server's default for night cramps still applies.
      if (e.evening_taper.checked !== taper) changes.evening_taper = e.evening_taper.checked;
      await saveHydration(changes);
      go('/settings');
      announce('Water settings saved');
    },
  },
  field('My doctor limits my fluids to (ml a day)',
    h('input', { name: 'fluid_limit_ml', type: 'number', min: 500, max: 3000, step: 10, inputmode: 'numeric', value: saved.fluid_limit_ml == null ? '' : String(saved.fluid_limit_ml) }),
    'Leave empty if your doctor has not set a limit (for heart failure or kidney disease, say). With a limit, your target never goes above it, heat and exercise included, and reminders stop.'),
  check('hot_weather', 'Hot weather', saved.hot_weather, 'Adds 500 ml a day while it is on, and more during exercise.'),
  check('evening_taper', 'Drink less late in the evening', taper,
    `Fewer reminders in the 4 hours before sleep and none in the last 2, so you wake less often to pass urine.${
      saved.evening_taper == null && taperByDefault ? ' On because you logged night cramps.' : ''}`),
  h('fieldset', {}, h('legend', {}, 'Quiet hours (no reminders)'),
    h('div', { class: 'row' },
      field('From', h('input', { name: 'quiet_start', type: 'time', value: quiet?.start || '' })),
      field('To', h('input', { name: 'quiet_end', type: 'time', value: quiet?.end || '' }))),
    h('p', { class: 'hint' }, 'Leave both empty for none. Your sleep hours are always quiet.')),
  field('Daily target', rule, 'Everyday guidance is about 1.2 litres. A target per kg uses your weight.'),
  field('Body weight (kg)', h('input', { name: 'body_weight_kg', type: 'number', min: 20, max: 350, step: 0.1, inputmode: 'decimal', value: saved.body_weight_kg == null ? '' : String(saved.body_weight_kg) }),
    'Used only for a target per kg; at most 100 kg count, and no day asks for more than 4 litres before exercise.'),
  h('button', { type: 'submit', class: 'primary' }, 'Save water settings'));
}

/** The "Water" card of Settings. */
export default async function waterSettings() {
  const saved = await hydrationSettings();
  return h('section', { class: 'card stack', 'aria-labelledby': 'water-h' },
    h('h2', { id: 'water-h' }, 'Water'),
    caution(),
    targetForm(saved, await nightCramps()),
    h('h3', {}, 'Workout'),
    workout(saved));
}
