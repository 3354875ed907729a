// Drink reminders inside the app, for browsers without Web Push (Safari on an iPhone before the
// app is on the Home Screen, for one): while the app is open, at the moment the server would
// have pushed one. The server's next_reminder_at already skips sleep, quiet hours and days on track.
import { getMeta, record } from './db.js';
import { listen } from './bus.js';
import { h, announce } from './dom.js';
import { saveEntry } from './outbox.js';
import { isoLocal } from './time.js';
import { supported } from './reminders.js';
import * as store from './store.js';

let timer = null;
let shownFor = null;

async function plan() {
  const enabled = (await record('settings', 'hydration'))?.data?.reminders_enabled;
  const at = enabled ? (await getMeta('hydration_today'))?.next_reminder_at : null;
  clearTimeout(timer);
  if (at && at !== shownFor) timer = setTimeout(() => show(at), Math.max(0, Date.parse(at) - Date.now()));
}

function show(at) {
  shownFor = at;
  const size = store.get().prefs.drink_ml;
  const box = h('section', { class: 'banner nudge', 'aria-labelledby': 'nudge-h' },
    h('h2', { id: 'nudge-h' }, 'Time for a drink'),
    h('p', {}, 'You are behind your water for today.'),
    h('div', { class: 'row' },
      h('button', {
        type: 'button', class: 'primary',
        async onclick() {
          box.remove();
          await saveEntry({ kind: 'hydration', occurred_at: isoLocal(), volume_ml: size, drink: 'water' });
          announce(`${size} ml added`);
        },
      }, `+${size} ml`),
      h('button', { type: 'button', onclick: () => box.remove() }, 'Not now')));
  document.querySelector('.nudge')?.remove();
  document.getElementById('main').before(box);
  announce('Time for a drink');
}

/** Where this browser cannot receive pushes, show reminders in the page while it is open. */
export function remindWhileOpen() {
  if (supported()) return;
  // Switched here (a write), or from elsewhere and the server's next reminder (both data).
  listen((message) => { if (message.type === 'data' || message.type === 'write') plan(); });
  plan();
}
