// The cards under the home's buttons: water today, today's routine and what the physio said.
// They read the replica and the catalogue, so they load after the buttons are on screen.
import { h, field, announce } from '../dom.js';
import { go } from '../router.js';
import { saveEntry } from '../outbox.js';
import { savePrefs } from '../prefs.js';
import { unlockAudio } from '../cues.js';
import { isoLocal } from '../time.js';
import { comments, doneToday, todaysRoutine, waterTarget, waterToday, weekOf } from '../records.js';
import * as store from '../store.js';

// The home's buttons unlock audio with this, from the moment the cards have loaded.
export { unlockAudio };

async function water() {
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
  const today = await todaysRoutine();
  if (!today) return h('section', { class: 'card' }, h('h2', {}, "Today's routine"), h('p', {}, 'Routines appear here once the app has been online.'));
  const { routine, assignment, phase } = today;
  const done = await doneToday(routine.slug);
  return h('section', { class: 'card', 'aria-labelledby': 'routine-h' },
    h('h2', { id: 'routine-h' }, "Today's routine"),
    h('p', { class: 'title' }, routine.name),
    assignment && h('p', { class: 'hint' }, assignment.self_started
      ? `Your programme, week ${weekOf(assignment.start_date, new Date())}${today.programme ? ' of ' + today.programme.weeks : ''}${phase ? ': ' + phase.goal : ''}`
      : `Set by ${assignment.author?.display_name || 'your physiotherapist'}${phase ? ': ' + phase.goal : ''}`),
    done ? h('p', { class: 'done' }, 'Done today') : null,
    h('div', { class: 'row' },
      h('button', { type: 'button', class: done ? '' : 'primary', onclick: () => { unlockAudio(); go(`/play/${routine.slug}`); } },
        done ? 'Do it again' : 'Start routine'),
      h('a', { href: `#/routines/${routine.slug}`, class: 'button' }, 'Details')));
}

async function notes() {
  const latest = (await comments())[0];
  if (!latest) return null;
  return h('section', { class: 'card comment' },
    h('h2', {}, 'From your physiotherapist'),
    h('p', {}, latest.text),
    h('p', { class: 'hint' }, latest.author?.display_name || ''));
}

/** Call `fill` whenever the preferences change (the water card shows the drink size). */
export function followPrefs(fill) {
  return store.subscribe((state, changed) => { if (changed.includes('prefs')) fill(); });
}

/** The home's cards, in order; a card with nothing to say is left out. */
export default async function cards() {
  return [await water(), await routineCard(), await notes()].filter(Boolean);
}
