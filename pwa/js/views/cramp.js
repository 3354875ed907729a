// Cramping now: pick the muscle (tap 1 was "Cramping now", this is tap 2) and the relief
// hold starts at once; "It let go" saves the episode (tap 3). Skip and Stop save it too, with
// the time held, and the saved screen undoes it in one tap: a stray tap loses nothing.
import { h, heading, chips, announce } from '../dom.js';
import { go } from '../router.js';
import { MUSCLES, SIDES, CONTEXTS, INTENSITY } from '../labels.js';
import { intensityText, intensityWord } from '../vocab.js';
import { exercises, routine } from '../content.js';
import { saveEntry, deleteEntry } from '../outbox.js';
import { record, getMeta, setMeta } from '../db.js';
import { likelyContext, rememberContext } from '../records.js';
import { lastMuscle, rememberMuscle } from '../prefs.js';
import { unlockAudio } from '../cues.js';
import { duration, isoLocal } from '../time.js';
import { stepper } from './stepper.js';
import { advice, helpPanel } from './help.js';
import * as store from '../store.js';

// A hold left by navigating away is kept as a cramp once it has run this long.
const LEFT_MIN_S = 10;

/** One tap for intensity: the middle of each band of the 0-10 scale above "no pain". */
function intensityChoices() {
  const anchors = Object.keys(INTENSITY).map(Number).sort((a, b) => a - b);
  const middles = anchors.slice(1).map((low, i) => Math.round((low + (anchors[i + 2] ?? 11) - 1) / 2));
  return Object.fromEntries(middles.map((value) => [value, `${value} · ${intensityWord(value)}`]));
}

export async function picker() {
  const last = await lastMuscle();
  return h('div', { class: 'view' },
    heading('Which muscle?'),
    h('div', { class: 'grid' }, Object.entries(MUSCLES).map(([muscle, name]) => h('button', {
      type: 'button', class: `big${muscle === last ? ' last' : ''}`,
      onclick: () => { unlockAudio(); go(`/cramp/${muscle}`); },
    }, name))),
    h('a', { href: '#/help', class: 'button' }, 'When to get help'));
}

/** Text for an entry's sync state, as the diary shows it. */
export function stateText(rec) {
  if (!rec) return '';
  if (rec.state === 'attention') return `Needs attention: ${rec.message}`;
  return rec.state === 'synced' ? 'Synced' : 'Waiting to sync';
}

function entryStatus(key) {
  const status = h('p', { class: 'entry-state', role: 'status' });
  const assessment = h('div', {});
  const paint = async () => {
    const rec = await record('entry', key);
    status.textContent = stateText(rec);
    status.dataset.state = rec?.state || '';
    const found = rec?.assessment;
    // Judged on this phone as the entry was saved, then replaced by the server's verdict.
    assessment.replaceChildren(found?.flags?.length ? advice(found) : '');
  };
  paint();
  return { element: h('div', {}, status, assessment), paint };
}

function helpDialog(state, onchange, entry) {
  const panel = helpPanel(state, onchange, entry, () => state.key);
  const dialog = h('dialog', { class: 'sheet', 'aria-labelledby': 'help-h' },
    h('h2', { id: 'help-h' }, 'When to get help'),
    panel,
    h('button', { type: 'button', class: 'primary', onclick: () => dialog.close() }, 'Close'));
  dialog.refresh = panel.refresh;
  return dialog;
}

export async function relief({ muscle }, ctx) {
  if (!MUSCLES[muscle]) { go('/cramp'); return h('div'); }
  const started = new Date();
  const [plan, catalogue, lastSide, likely] = [await routine(`relief-${muscle}`), await exercises(),
    await getMeta('last_side'), await likelyContext(started)];
  const steps = plan.timeline.steps;
  const first = Math.max(0, steps.findIndex((step) => step.until_release));
  const { night } = store.get();
  const episode = {
    started, side: lastSide || 'both', flags: [], context: likely.context,
    intensity: 5, duration_s: 0, key: null, night,
  };
  const title = `${MUSCLES[muscle]} cramp`;
  const area = h('div', {});

  const data = () => ({
    kind: 'cramp', occurred_at: isoLocal(episode.started), muscle, side: episode.side,
    intensity: episode.intensity, duration_s: episode.duration_s, context: episode.context,
    triggers: [], reliefs: ['stretch'], red_flags: episode.flags, note: '',
  });
  const resave = () => episode.key && saveEntry(data(), episode.key);

  // Before "It let go", the hold so far is how long the cramp has lasted.
  const judged = () => ({ ...data(), duration_s: episode.key ? episode.duration_s : Math.round((Date.now() - episode.started) / 1000) });
  const dialog = helpDialog(episode, () => resave(), judged);
  const sides = chips('Side', SIDES, [episode.side], {
    single: true, onchange(side) { episode.side = side; setMeta({ last_side: side }); resave(); },
  });

  const helpButton = h('button', { type: 'button', class: 'warn', onclick: () => { dialog.refresh(); dialog.showModal(); } }, 'When to get help');
  // Leaving the hold in any way (it let go, Skip, Stop) records the cramp with the time held.
  const endHold = (index, held) => {
    if (index !== first || episode.key) return;
    run.pause();
    episode.duration_s = Math.round(held);
    saved();
  };
  const run = stepper(steps, {
    exercises: catalogue,
    releaseLabel: 'It let go',
    extras: [sides.element, helpButton],
    onRelease: endHold,
    onSkip: endHold,
    onStop(summary, { index, held }) {
      if (episode.key) go('/');
      else endHold(first, index === first ? held : 0);
    },
  });

  async function undo() {
    const key = episode.key;
    episode.key = null;
    episode.undone = true;
    await deleteEntry(key);
    announce(`Removed: ${title}`);
    go('/');
  }

  async function saved() {
    episode.key = crypto.randomUUID();
    await saveEntry(data(), episode.key);
    await rememberMuscle(muscle);
    announce(`Saved: ${title}, ${duration(episode.duration_s)}`);
    const status = entryStatus(episode.key);
    ctx.onData(status.paint);
    const more = run.runner.index < steps.length && !run.runner.done;
    const strength = h('output', {}, intensityText(episode.intensity));
    const why = h('p', { class: 'hint' }, likely.why);
    area.replaceChildren(h('section', { class: 'saved' },
      h('div', { class: 'saved-line' },
        h('p', { class: 'lead' }, `Saved: ${MUSCLES[muscle].toLowerCase()} cramp, ${duration(episode.duration_s)}.`),
        h('button', { type: 'button', onclick: undo }, 'Undo')),
      status.element,
      sides.element,
      chips(['How strong was it? ', strength], intensityChoices(), [String(episode.intensity)], {
        single: true,
        onchange(value) { episode.intensity = Number(value); strength.textContent = intensityText(episode.intensity); resave(); },
      }).element,
      chips('When did it happen?', CONTEXTS, [episode.context], {
        single: true,
        onchange(value) { episode.context = value; why.textContent = ''; rememberContext(value); resave(); },
      }).element,
      why,
      h('div', { class: 'row' },
        more ? h('button', { type: 'button', class: 'primary', onclick: () => { area.replaceChildren(run.element); run.resume(); } }, 'Continue the routine') : null,
        h('a', { href: `#/entry/${episode.key}`, class: 'button' }, 'Add details'),
        h('a', { href: '#/', class: 'button' }, 'Done')),
      helpButton));
    // The hold may have been scrolled; the person must see that it saved, and the Undo.
    area.scrollIntoView({ block: 'start' });
  }

  area.append(run.element);
  ctx.onLeave(() => {
    // Leaving mid-hold after a real hold keeps the cramp too (a wrong muscle, left at once, is not one).
    if (!episode.key && !episode.undone && run.runner.index === first && run.runner.elapsed() >= LEFT_MIN_S) {
      episode.duration_s = Math.round(run.runner.elapsed());
      episode.key = crypto.randomUUID();
      saveEntry(data(), episode.key);
    }
    run.stop();
  });
  run.start(first);
  return h('div', { class: 'view relief' },
    heading(title),
    area,
    plan.summary ? h('p', { class: 'hint' }, plan.summary) : null,
    dialog);
}
