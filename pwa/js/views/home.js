// Home: the two cramp buttons, one-tap water, today's routine and what the physio said.
import { h, heading, field, announce, swap } from '../dom.js';
import { go } from '../router.js';
import { saveEntry } from '../outbox.js';
import { savePrefs } from '../prefs.js';
import { unlockAudio } from '../cues.js';
import { isoLocal } from '../time.js';
import * as store from '../store.js';

// The cards read the replica and the catalogue; they load after the buttons are on screen.
const records = () => import('../records.js');

let marked = false;

async function water() {
  const { waterTarget, waterToday } = await records();
  const [total, target] = [await waterToday(), await waterTarget()];
  const size = store.get().prefs.drink_ml;
  const editor = h('form', {
    class: 'inline-form', hidden: true,
    async onsubmit(event) {
      event.preventDefault();
      const ml = Number(event.target.elements.size.value);
      await savePrefs({ drink_ml: ml });
      announce(`Drink size set to ${ml} ml`);
    },
  }, field('Drink size (ml)', h('input', { name: 'size', type: 'number', min: 1, max: 5000, step: 1, required: true, value: String(size), inputmode: 'numeric' })),
  h('button', { type: 'submit' }, 'Save size'));
  return h('section', { class: 'card', 'aria-labelledby': 'water-h' },
    h('h2', { id: 'water-h' }, 'Water today'),
    h('p', { class: 'figure' }, h('strong', {}, `${total} ml`), ` of ${target} ml`),
    h('progress', { max: target, value: Math.min(total, target), 'aria-label': 'Water today against the target' }),
    h('div', { class: 'row' },
      h('button', {
        type: 'button', class: 'primary',
        async onclick() {
          await saveEntry({ kind: 'hydration', occurred_at: isoLocal(), volume_ml: size, drink: 'water' });
          announce(`${size} ml added`);
        },
      }, `+${size} ml`),
      h('button', { type: 'button', 'aria-expanded': 'false',
        onclick(event) {
          editor.hidden = !editor.hidden;
          event.currentTarget.setAttribute('aria-expanded', String(!editor.hidden));
        } }, 'Change amount')),
    editor,
    h('p', { class: 'hint' }, 'A habit, not a cure: drink more on hot days and when you sweat a lot.'));
}

async function routineCard() {
  const { doneToday, todaysRoutine } = await records();
  const today = await todaysRoutine();
  if (!today) return h('section', { class: 'card' }, h('h2', {}, "Today's routine"), h('p', {}, 'Routines appear here once the app has been online.'));
  const { routine, assignment, phase } = today;
  const done = await doneToday(routine.slug);
  return h('section', { class: 'card', 'aria-labelledby': 'routine-h' },
    h('h2', { id: 'routine-h' }, "Today's routine"),
    h('p', { class: 'title' }, routine.name),
    assignment && h('p', { class: 'hint' }, `Set by ${assignment.author?.display_name || 'your physiotherapist'}${phase ? `: ${phase.goal}` : ''}`),
    done ? h('p', { class: 'done' }, 'Done today') : null,
    h('div', { class: 'row' },
      h('button', { type: 'button', class: done ? '' : 'primary', onclick: () => { unlockAudio(); go(`/play/${routine.slug}`); } },
        done ? 'Do it again' : 'Start routine'),
      h('a', { href: `#/routines/${routine.slug}`, class: 'button' }, 'Details')));
}

async function notes() {
  const latest = (await (await records()).comments())[0];
  if (!latest) return null;
  return h('section', { class: 'card comment' },
    h('h2', {}, 'From your physiotherapist'),
    h('p', {}, latest.text),
    h('p', { class: 'hint' }, latest.author?.display_name || ''));
}

export default async function home(params, ctx) {
  const live = h('div', { class: 'stack' });
  const fill = async () => swap(live, [await water(), await routineCard(), await notes()].filter(Boolean));
  const view = h('div', { class: 'view home' },
    heading('Today'),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'big danger', onclick: () => { unlockAudio(); go('/cramp'); } }, 'Cramping now'),
      h('button', { type: 'button', class: 'big', onclick: () => go('/log') }, 'Log a cramp')),
    live);
  ctx.onData(fill);
  ctx.onLeave(store.subscribe((state, changed) => { if (changed.includes('prefs')) fill(); }));
  if (!marked) {
    // The home's actions are on screen from here; the cards below fill in from the database.
    marked = true;
    addEventListener('unknot:rendered', () => performance.mark('unknot:home'), { once: true });
  }
  fill();
  return view;
}
