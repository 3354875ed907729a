// The frame of every workspace screen (navigation and an offline notice), the level badges,
// loading placeholders and the words for what went wrong.
import { h, announce } from '../dom.js';
import { go } from '../router.js';
import { signOut } from '../auth.js';
import { LEVELS } from '../labels.js';

// The wire's field names as the forms label them.
const NAMES = {
  label: 'Who it is for', valid_hours: 'Valid for', text: 'Comment', entry_key: 'Entry',
  programme: 'What to assign', routine: 'Routine', composed: 'Your routine', name: 'Routine name',
  summary: 'Summary', items: 'Exercises', exercise: 'Exercise', dose: 'Dose', hold_s: 'Seconds per hold',
  reps: 'Repetitions', sets: 'Sets', rest_s: 'Rest between sets', per_side: 'Each side',
  until_release: 'Until it lets go', start_date: 'Start date', sessions_per_week: 'Sessions per week',
  note: 'Note', from: 'From', to: 'To', kind: 'Show', page: 'Page',
};

/** A badge for a warning level (none for no level). */
export function badge(level) {
  return level ? h('span', { class: `badge level-${level}` }, LEVELS[level]?.label || level) : null;
}

/** Every message of an envelope's `fields`, each led by where it applies. */
export function messages(fields, where = '') {
  if (typeof fields === 'string') return [where ? `${where}: ${fields}` : fields];
  if (Array.isArray(fields)) return fields.flatMap((item) => messages(item, where));
  return Object.entries(fields || {}).flatMap(([name, inner]) => {
    const label = /^\d+$/.test(name) ? `exercise ${Number(name) + 1}` : NAMES[name] || name;
    return messages(inner, where ? `${where}, ${label.toLowerCase()}` : label);
  });
}

/** What went wrong, in words, from an ApiError (or any error). */
export function problem(error) {
  if (error.status === 0) return 'You are offline: nothing was sent or loaded. Try again once you are back online.';
  if (error.status === 401) return 'Your session has ended. Sign out, then sign in again.';
  if (error.status === 403) return 'This needs a physiotherapist’s account.';
  if (error.status === 404) return 'No patient sharing with you has this number: they may have stopped sharing.';
  const found = messages(error.body?.fields);
  return found.length ? found.join(' ') : error.message;
}

export function alertBox() {
  return h('p', { class: 'error', role: 'alert' });
}

/** A placeholder that says what is loading, replaced by what `build()` resolves to. */
export function loading(text, build) {
  const box = h('div', { class: 'stack', 'aria-busy': 'true' }, h('p', { class: 'loading', role: 'status' }, text));
  Promise.resolve().then(build).then(
    (nodes) => box.replaceChildren(...[nodes].flat().filter(Boolean)),
    (error) => box.replaceChildren(h('p', { class: 'error', role: 'alert' }, problem(error))),
  ).finally(() => box.removeAttribute('aria-busy'));
  return box;
}

/** Run `work` with `button` showing that it runs; report a problem in `message`. */
export async function busy(button, message, work, label = 'Sending…') {
  const text = button.textContent;
  button.disabled = true;
  button.textContent = label;
  message.textContent = '';
  try {
    return await work();
  } catch (error) {
    message.textContent = problem(error);
    return undefined;
  } finally {
    button.disabled = false;
    button.textContent = text;
  }
}

export const day = (iso) => new Date(iso).toLocaleDateString([], { day: 'numeric', month: 'short', year: 'numeric' });
export const moment = (iso) => new Date(iso).toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

async function leave(event) {
  event.currentTarget.disabled = true;
  await signOut();
  announce('Signed out');
  go('/signin');
}

/** Put a screen (its title first) in the workspace's frame, the title and the workspace's
 * links on one line, with a notice that follows the network. */
export function frame(ctx, title, ...children) {
  const notice = h('p', { class: 'offline-notice', role: 'status' });
  const paint = () => {
    notice.textContent = navigator.onLine ? ''
      : 'You are offline. What is on screen may be out of date, and nothing can be sent until you reconnect.';
  };
  paint();
  for (const type of ['online', 'offline']) {
    addEventListener(type, paint);
    ctx.onLeave(() => removeEventListener(type, paint));
  }
  return h('div', { class: 'view physio' },
    h('div', { class: 'row physio-head' }, title,
      h('nav', { class: 'physio-nav row', 'aria-label': 'Workspace' },
        h('a', { href: '#/', class: 'button' }, 'Patients'),
        h('button', { type: 'button', onclick: leave }, 'Sign out'))),
    notice, children);
}
