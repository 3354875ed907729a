// The routine player: stop rules first, then the timeline, offline; logs a `routine` entry. A
// physio's composed routine runs from its assignment's copy, a catalogue one from the content store.
import { h, heading, announce } from '../dom.js';
import { exercises } from '../content.js';
import { routineToRun } from '../records.js';
import { saveEntry } from '../outbox.js';
import { isoLocal } from '../time.js';
import { stepper } from './stepper.js';
import { stopRules } from './routines.js';

export default async function player({ slug }, ctx) {
  let plan;
  try {
    plan = await routineToRun(slug);
  } catch {
    return h('div', { class: 'view' }, heading('Not available offline'), h('p', {}, 'This routine has not been downloaded yet.'));
  }
  let started;
  const area = h('div', {});
  const finish = async (summary, stopped) => {
    if (summary.completed_steps > 0) {
      await saveEntry({ kind: 'routine', occurred_at: isoLocal(started), routine: slug, ...summary });
    }
    const text = stopped
      ? `Stopped after ${summary.completed_steps} of ${summary.total_steps} steps.`
      : 'Routine complete. Well done.';
    announce(text);
    area.replaceChildren(h('section', { class: 'saved' },
      h('p', { class: 'lead' }, text),
      summary.completed_steps > 0 ? h('p', {}, 'Saved to your diary.') : null,
      h('div', { class: 'row' }, h('a', { href: '#/', class: 'button primary' }, 'Home'), h('a', { href: '#/routines', class: 'button' }, 'Routines'))));
  };
  const run = stepper(plan.timeline.steps, {
    exercises: await exercises(),
    onDone: (summary) => finish(summary, false),
    onStop: (summary) => finish(summary, true),
  });
  ctx.onLeave(() => run.stop());
  const begin = () => { started = new Date(); area.replaceChildren(run.element); run.start(0); };
  const rules = await stopRules();
  if (rules) area.append(rules, h('button', { type: 'button', class: 'big primary', onclick: begin }, 'Start now'));
  else begin();
  return h('div', { class: 'view player' }, heading(plan.name), area);
}
