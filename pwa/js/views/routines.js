// Routines and programmes: the lists, a routine's steps, a programme's phases, and the pages of
// guidance around them ("About cramps", the stop rules before a routine), kept offline with them.
import { h, heading } from '../dom.js';
import { go } from '../router.js';
import { list } from '../content.js';
import { assignments, routineToRun } from '../records.js';
import { unlockAudio } from '../cues.js';
import { MUSCLES } from '../labels.js';
import { duration } from '../time.js';

const KIND_NAMES = { evening: 'Evening', morning: 'Morning', warmup: 'Warm-up', cooldown: 'Cool-down', custom: 'Strength and rehab', relief: 'Cramp relief' };

const page = async (slug) => (await list('pages')).find((p) => p.slug === slug);
const sections = (p) => p.sections.map((s) => h('section', {}, h('h2', {}, s.heading), s.text.map((text) => h('p', {}, text))));

/** The stop rules the player shows before a routine (none before the first download). */
export async function stopRules() {
  const rules = await page('stop-rules');
  return rules && h('div', { class: 'card stop' }, sections(rules));
}

export async function about() {
  const about = await page('about-cramps');
  return h('div', { class: 'view' }, heading(about?.title || 'Downloads when online'), about && sections(about),
    h('a', { href: '#/help', class: 'button' }, 'When to get help'));
}

function card(href, title, ...lines) {
  return h('li', {}, h('a', { href, class: 'card link' }, h('span', { class: 'title' }, title), lines.filter(Boolean).map((line) => h('span', { class: 'hint' }, line))));
}

export async function routines() {
  const [all, programmes, assigned] = [await list('routines'), await list('programmes'), await assignments()];
  if (!all.length) {
    return h('div', { class: 'view' }, heading('Routines'), h('p', {}, 'Routines download the first time the app is online. Cramp relief works without them.'));
  }
  const groups = {};
  for (const item of all) (groups[item.kind] ||= []).push(item);
  return h('div', { class: 'view' },
    heading('Routines'),
    assigned.length ? h('section', {}, h('h2', {}, 'From your physiotherapist'),
      h('ul', { class: 'cards' }, assigned.map((a) => card(a.kind === 'programme' ? `#/programmes/${a.slug}` : `#/routines/${a.slug}`,
        a.title || a.slug, a.note, `Starts ${a.start_date}`)))) : null,
    h('section', {}, h('h2', {}, 'Programmes'),
      h('ul', { class: 'cards' }, programmes.map((p) => card(`#/programmes/${p.slug}`, p.name, `${p.weeks} weeks`, p.summary)))),
    Object.entries(KIND_NAMES).filter(([kind]) => groups[kind]).map(([kind, name]) => h('section', {},
      h('h2', {}, name),
      h('ul', { class: 'cards' }, groups[kind].map((r) => card(`#/routines/${r.slug}`, r.name, r.muscles.map((m) => MUSCLES[m]).join(', ')))))));
}

export async function routineDetail({ slug }) {
  let plan;
  try {
    plan = await routineToRun(slug);
  } catch {
    return h('div', { class: 'view' }, heading('Not available offline'), h('p', {}, 'This routine has not been downloaded yet. Try again when you are online.'));
  }
  const steps = plan.timeline.steps.filter((step) => step.type === 'hold' || step.type === 'rep');
  return h('div', { class: 'view' },
    heading(plan.name),
    h('p', {}, plan.summary),
    h('p', { class: 'hint' }, `About ${duration(plan.timeline.total_s)}`),
    h('button', { type: 'button', class: 'big primary', onclick: () => { unlockAudio(); go(`/play/${slug}`); } }, 'Start'),
    h('h2', {}, 'Steps'),
    h('ol', { class: 'steps' }, steps.map((step) => h('li', {}, step.label))));
}

export async function programmeDetail({ slug }) {
  const programme = (await list('programmes')).find((p) => p.slug === slug);
  if (!programme) return h('div', { class: 'view' }, heading('Programme not found'));
  const names = Object.fromEntries((await list('routines')).map((r) => [r.slug, r.name]));
  return h('div', { class: 'view' },
    heading(programme.name),
    h('p', {}, programme.summary),
    programme.progress && h('ul', {}, h('li', {}, programme.progress.move_on), h('li', {}, programme.progress.step_back)),
    h('ol', { class: 'cards' }, programme.phases.map((phase) => h('li', { class: 'card' },
      h('h2', {}, `Weeks ${phase.weeks[0]}–${phase.weeks[1]}`),
      h('p', {}, phase.goal),
      phase.ready_when && h('p', { class: 'mark' }, phase.ready_when),
      h('p', { class: 'hint' }, `${phase.sessions_per_week} sessions a week${phase.times_per_day > 1 ? ', ' + phase.times_per_day + ' times a day' : ''}`),
      h('a', { href: `#/routines/${phase.routine}`, class: 'button' }, names[phase.routine] || phase.routine)))));
}
