// Settings: night mode and sleep window, cues, drink size, water, reminders, sync and the account.
import { h, heading, field, announce } from '../dom.js';
import { go } from '../router.js';
import { savePrefs } from '../prefs.js';
import { signOut } from '../auth.js';
import { getMeta, waitingCount } from '../db.js';
import { requestSync } from '../autosync.js';
import { syncText } from '../shell.js';
import * as store from '../store.js';
import { hydrationSettings, remindersOn, supported, turnOff, turnOn } from '../reminders.js';
import waterSettings from './water.js';

const NIGHT = { auto: 'Automatic during my sleep hours', on: 'Always', off: 'Never' };

const span = (from, to) => (Date.parse(`1970-01-02T${to}Z`) - Date.parse(`1970-01-01T${from}Z`)) / 6e4 % 1440;

function prefsForm(prefs) {
  const radios = Object.entries(NIGHT).map(([value, label]) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'night_mode', value, checked: prefs.night_mode === value }), label));
  const check = (name, label) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', name, checked: prefs[name] }), label);
  return h('form', {
    class: 'stack',
    oninput(event) { event.target.form.sleep_end.setCustomValidity(''); },
    async onsubmit(event) {
      event.preventDefault();
      const e = event.target.elements;
      // Reminders share this window: the server refuses one too short to sleep or to drink in.
      e.sleep_end.setCustomValidity(span(e.sleep_start.value, e.sleep_end.value) < 180 ? 'Allow at least 3 hours of sleep.'
        : span(e.sleep_end.value, e.sleep_start.value) < 240 ? 'Allow at least 4 hours awake.' : '');
      if (!event.target.reportValidity()) return;
      await savePrefs({
        night_mode: e.night_mode.value, sleep_start: e.sleep_start.value, sleep_end: e.sleep_end.value,
        sound: e.sound.checked, vibration: e.vibration.checked, drink_ml: Number(e.drink_ml.value),
      });
      announce('Settings saved');
    },
  },
  h('fieldset', {}, h('legend', {}, 'Night mode'), radios,
    h('p', { class: 'hint' }, 'Dark and warm, large buttons, no sounds, and no reminders while you sleep.')),
  h('div', { class: 'row' },
    field('Sleep starts', h('input', { name: 'sleep_start', type: 'time', required: true, value: prefs.sleep_start })),
    field('Sleep ends', h('input', { name: 'sleep_end', type: 'time', required: true, value: prefs.sleep_end }))),
  h('fieldset', {}, h('legend', {}, 'Cues during timers'), check('sound', 'Sounds'), check('vibration', 'Vibration')),
  field('Drink size (ml)', h('input', { name: 'drink_ml', type: 'number', min: 1, max: 5000, required: true, value: String(prefs.drink_ml), inputmode: 'numeric' })),
  h('button', { type: 'submit', class: 'primary' }, 'Save settings'));
}

async function account() {
  const user = await getMeta('user');
  const token = await getMeta('token');
  if (!token) {
    return h('section', { class: 'card' }, h('h2', {}, 'Account'),
      h('p', {}, 'Sign in to keep your diary on all your devices and share it with your physiotherapist.'),
      h('div', { class: 'row' }, h('a', { href: '#/signin', class: 'button primary' }, 'Sign in'), h('a', { href: '#/signup', class: 'button' }, 'Create an account')));
  }
  const section = h('section', { class: 'card' }, h('h2', {}, 'Account'),
    h('p', {}, `Signed in as ${user.display_name} (${user.email}).`),
    h('div', { class: 'row' }, h('a', { href: '#/care', class: 'button' }, 'Your physiotherapist'),
      h('a', { href: '#/data', class: 'button' }, 'Your data')));
  const out = async () => { await signOut(); announce('Signed out'); go('/'); };
  section.append(h('button', {
    type: 'button',
    async onclick(event) {
      const button = event.currentTarget;
      const waiting = await waitingCount();
      if (!waiting) return out();
      button.replaceWith(h('div', { class: 'advice', role: 'alert' },
        h('p', {}, `${waiting} ${waiting === 1 ? 'entry has' : 'entries have'} not synced yet. They stay on this device and sync when you sign in again with this account.`),
        h('div', { class: 'row' }, h('button', { type: 'button', class: 'warn', onclick: out }, 'Sign out anyway'),
          h('button', { type: 'button', onclick: () => go('/settings') }, 'Stay signed in'))));
    },
  }, 'Sign out'));
  return section;
}

async function reminders() {
  const section = h('section', { class: 'card' }, h('h2', {}, 'Drink reminders'),
    h('p', {}, 'A nudge when you are behind on water, never during your sleep hours. A habit aid, not a cure.'));
  if (!(await getMeta('token'))) {
    section.append(h('p', { class: 'hint' }, 'Sign in to turn reminders on.'));
    return section;
  }
  if (!supported()) {
    section.append(h('p', {}, 'This browser cannot receive reminders while the app is closed: it has no Web Push. '
      + 'On an iPhone or iPad, add Unknot to your Home Screen (Share, then Add to Home Screen) and open it from there. '
      + 'Until then, reminders show here only while the app is open.'));
  }
  if ((await hydrationSettings()).fluid_limit_ml != null) {
    section.append(h('p', { class: 'hint' }, 'Reminders stay off while your doctor limits your fluids.'));
  }
  const on = await remindersOn();
  const message = h('p', { role: 'status' });
  section.append(h('button', {
    type: 'button',
    async onclick(event) {
      const button = event.currentTarget;
      button.disabled = true;
      try {
        const result = await (on ? turnOff() : turnOn());
        go('/settings');
        announce(result);
      } catch (error) {
        message.textContent = error.status === 0 ? 'Turning reminders on needs the internet.' : error.message;
      } finally {
        button.disabled = false;
      }
    },
  }, on ? 'Turn off reminders' : 'Turn on reminders'), message);
  return section;
}

export default async function settings(params, ctx) {
  const state = h('p', { role: 'status' }, syncText(store.get()));
  ctx.onLeave(store.subscribe((s) => { state.textContent = syncText(s); }));
  const syncedAt = await getMeta('synced_at');
  return h('div', { class: 'view' },
    heading('Settings'),
    prefsForm(store.get().prefs),
    h('section', { class: 'card' }, h('h2', {}, 'Sync'), state,
      syncedAt ? h('p', { class: 'hint' }, `Last synced ${new Date(syncedAt).toLocaleString()}`) : null,
      h('button', { type: 'button', onclick: requestSync }, 'Sync now')),
    await waterSettings(),
    await reminders(),
    await account(),
    h('section', { class: 'card' }, h('h2', {}, 'About'),
      h('p', {}, 'Unknot guides self-care for muscle cramps and keeps a diary. It does not diagnose.'),
      h('a', { href: '#/help', class: 'button' }, 'When to get help')));
}
