// Routines and programmes: the lists, a routine's steps, a programme's phases, and the pages of
// guidance around them ("About cramps", the stop rules before a routine), kept offline with them.
import { h, heading, announce, saveBlob } from '../dom.js';
import { picture } from '../drawings.js';
import { api } from '../api.js';
import { requestSync } from '../autosync.js';
import { go } from '../router.js';
import { list } from '../content.js';
import { assignments, routineToRun, weekOf } from '../records.js';
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
  const assignedCard = (a) => card(a.kind === 'programme' ? `#/programmes/${a.slug}` : `#/routines/${a.slug}`,
    a.title || a.slug, a.note, `${a.self_started ? 'Started' : 'Starts'} ${a.start_date}`);
  const own = assigned.filter((a) => a.self_started);
  const set = assigned.filter((a) => !a.self_started);
  return h('div', { class: 'view' },
    heading('Routines'),
    own.length ? h('section', {}, h('h2', {}, 'Your programme'), h('ul', { class: 'cards' }, own.map(assignedCard))) : null,
    set.length ? h('section', {}, h('h2', {}, 'From your physiotherapist'), h('ul', { class: 'cards' }, set.map(assignedCard))) : null,
    h('section', {}, h('h2', {}, 'Programmes'),
      // The name says how many weeks ("...: 8 weeks"); the card does not say it again.
      h('ul', { class: 'cards' }, programmes.map((p) => card(`#/programmes/${p.slug}`, p.name,
        p.name.includes(`${p.weeks} weeks`) ? null : `${p.weeks} weeks`, p.summary)))),
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
  // A physio's composed routine is in no public catalogue: its handout comes with the account.
  const composed = slug.startsWith('care-') && (await assignments()).find((a) => a.routine?.slug === slug);
  return h('div', { class: 'view' },
    heading(plan.name),
    h('p', {}, plan.summary),
    h('p', { class: 'hint' }, `About ${duration(plan.timeline.total_s)}`),
    h('button', { type: 'button', class: 'big primary', onclick: () => { unlockAudio(); go(`/play/${slug}`); } }, 'Start'),
    h('h2', {}, 'Steps'),
    h('ol', { class: 'steps' }, steps.map((step) => h('li', {}, picture(step.exercise, 'list-pose'), step.label))),
    composed ? ownHandout(composed.key) : handoutLink(`/content/routines/${slug}/handout`));
}

/** A button for the handout of one of the person's assignments (it needs the account). */
function ownHandout(key) {
  const message = h('p', { class: 'error', role: 'alert' });
  const fetchIt = async () => {
    message.textContent = '';
    try {
      saveBlob(await api('GET', `/me/assignments/${key}/handout`, undefined, { blob: true }), 'unknot-handout.pdf');
      announce('Handout downloaded');
    } catch (error) {
      message.textContent = error.status === 0 ? 'The handout needs the internet. Try again when you are online.'
        : error.status === 401 ? 'Sign in first: the handout comes with your account.' : error.message;
    }
  };
  return h('div', {}, h('button', { type: 'button', onclick: fetchIt }, 'Handout to print (PDF)'), message);
}

/** A link to a printable handout: the exercises with pictures, steps and doses, as a PDF. */
function handoutLink(path) {
  return h('p', {}, h('a', { href: `/api/v1${path}`, download: '' }, 'Handout to print (PDF)'));
}

function problem(error) {
  if (error.status === 0) return 'Starting or stopping a programme needs the internet. Your diary works offline meanwhile.';
  if (error.status === 401) return 'Sign in first: a programme follows you to your other devices.';
  return error.body?.fields ? Object.values(error.body.fields).flat().join(' ') : error.message;
}

/** Where the person stands in a programme they follow (theirs or a physio's), or how to start it. */
async function standing(programme, area, message) {
  const following = (await assignments()).find((a) => a.kind === 'programme' && a.slug === programme.slug);
  if (!following) {
    area.replaceChildren(h('button', {
      type: 'button', class: 'big primary',
      async onclick(event) {
        event.currentTarget.disabled = true;
        try {
          await api('POST', '/me/programmes', { programme: programme.slug });
          announce(`Started ${programme.name}`);
          area.replaceChildren(h('p', { role: 'status' }, 'Started. Today’s session is on the home screen.'));
          requestSync();
        } catch (error) {
          message.textContent = problem(error);
          event.currentTarget.disabled = false;
        }
      },
    }, 'Start this programme today'),
    h('p', { class: 'hint' }, 'The programme schedules each day’s session by week and phase, on all your devices. '
      + 'A physiotherapist you share your diary with sees it too.'));
    return;
  }
  const week = weekOf(following.start_date, new Date());
  const phase = programme.phases.find((p) => week >= p.weeks[0] && week <= p.weeks[1]);
  const where = week < 1 ? `It starts on ${following.start_date}.`
    : phase ? `Week ${week} of ${programme.weeks}: ${phase.goal}` : `Finished: it ran ${programme.weeks} weeks from ${following.start_date}.`;
  const stop = following.self_started ? h('button', {
    type: 'button', class: 'warn',
    onclick(event) {
      event.currentTarget.replaceWith(h('div', { class: 'advice', role: 'alert' },
        h('p', {}, 'Stop the programme? Its sessions leave the home screen; what you logged stays in your diary.'),
        h('div', { class: 'row' },
          h('button', {
            type: 'button', class: 'warn',
            async onclick() {
              try {
                await api('DELETE', `/me/programmes/${following.key}`);
                announce('Programme stopped');
                requestSync();
                go('/routines');
              } catch (error) {
                message.textContent = problem(error);
              }
            },
          }, 'Stop the programme'),
          h('button', { type: 'button', onclick: () => standing(programme, area, message) }, 'Keep going'))));
    },
  }, 'Stop the programme') : h('p', { class: 'hint' }, `Set by ${following.author?.display_name || 'your physiotherapist'}.`);
  area.replaceChildren(h('div', { class: 'card' },
    h('p', { class: 'title' }, following.self_started ? `You started it on ${following.start_date}.` : `From ${following.start_date}.`),
    h('p', {}, where), stop));
}

export async function programmeDetail({ slug }, ctx) {
  const programme = (await list('programmes')).find((p) => p.slug === slug);
  if (!programme) return h('div', { class: 'view' }, heading('Programme not found'));
  const names = Object.fromEntries((await list('routines')).map((r) => [r.slug, r.name]));
  const area = h('div', { class: 'stack' });
  const message = h('p', { class: 'error', role: 'alert' });
  await standing(programme, area, message);
  ctx?.onData(() => standing(programme, area, message));
  return h('div', { class: 'view' },
    heading(programme.name),
    h('p', {}, programme.summary),
    h('div', {}, area, message),
    programme.progress && h('ul', {}, h('li', {}, programme.progress.move_on), h('li', {}, programme.progress.step_back)),
    handoutLink(`/content/programmes/${slug}/handout`),
    h('ol', { class: 'cards' }, programme.phases.map((phase) => h('li', { class: 'card' },
      h('h2', {}, `Weeks ${phase.weeks[0]}–${phase.weeks[1]}`),
      h('p', {}, phase.goal),
      phase.ready_when && h('p', { class: 'mark' }, phase.ready_when),
      h('p', { class: 'hint' }, `${phase.sessions_per_week} sessions a week${phase.times_per_day > 1 ? ', ' + phase.times_per_day + ' times a day' : ''}`),
      h('a', { href: `#/routines/${phase.routine}`, class: 'button' }, names[phase.routine] || phase.routine)))));
}
