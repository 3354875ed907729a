// Questions asked of the local replica: the diary, today's water, comments, assignments.
import { getMeta, record, records, setMeta } from './db.js';
import { api } from './api.js';
import { emit } from './bus.js';
import { dayKey, inWindow, isToday } from './time.js';
import * as store from './store.js';
import { list, routine as catalogueRoutine, ruleSet } from './content.js';
import { assess } from './triage.js';

export const TARGET_ML = 1200; // the everyday baseline; the server adds heat and exercise

const newestFirst = (a, b) => (a.data.occurred_at < b.data.occurred_at ? 1 : -1);

/** Diary entries still present, newest first. */
export async function entries() {
  return (await records('entry')).filter((r) => !r.deleted && r.data).sort(newestFirst);
}

/**
 * The likely context of a cramp logged now, and why: a workout on, or a routine done in the
 * last hour, says exercise; the sleep window (or night mode) says night; otherwise the
 * person's last choice. The screen shows the reason, and the choice stays theirs to change.
 */
export async function likelyContext(now = new Date()) {
  const workout = (await record('settings', 'hydration'))?.data?.workout;
  if (workout && Date.parse(workout.started_at) <= now && now < Date.parse(workout.ends_at)) {
    return { context: 'exercise', why: 'Set to exercise: a workout is on.' };
  }
  const hourAgo = now - 3600e3;
  const routineLately = (await entries()).some((r) => r.data.kind === 'routine'
    && Date.parse(r.data.occurred_at) >= hourAgo && Date.parse(r.data.occurred_at) <= now);
  if (routineLately) return { context: 'exercise', why: 'Set to exercise: you did a routine in the last hour.' };
  const { night, prefs } = store.get();
  if (night || inWindow(now, prefs.sleep_start, prefs.sleep_end)) {
    return { context: 'night', why: 'Set to night: it is within your sleep hours.' };
  }
  const last = await getMeta('last_context');
  return last ? { context: last, why: 'Your last choice.' } : { context: 'other', why: '' };
}

/** Remember the context the person chose, for the next cramp outside a workout and the night. */
export function rememberContext(context) {
  return setMeta({ last_context: context });
}

/** Today's drinks, counted as the server counts them (alcohol adds nothing). */
export async function waterToday() {
  return (await entries())
    .filter((r) => r.data.kind === 'hydration' && r.data.drink !== 'alcohol' && isToday(r.data.occurred_at))
    .reduce((sum, r) => sum + r.data.volume_ml, 0);
}

/**
 * Today's target: the server's figure when it is from today, else the person's baseline; never
 * above a fluid limit their doctor set, even one set offline since the server last answered.
 */
export async function waterTarget(now = new Date()) {
  const known = await getMeta('hydration_today');
  const settings = (await record('settings', 'hydration'))?.data || {};
  const target = known && known.date === dayKey(now) ? known.target_ml : settings.baseline_ml || TARGET_ML;
  return settings.fluid_limit_ml ? Math.min(target, settings.fluid_limit_ml) : target;
}

/**
 * What the server will say of a cramp entry, judged here with the stored rules, the person's
 * other cramps and their profile; null before the rules have ever been fetched.
 */
export async function judge(entry, key = null, now = new Date()) {
  const set = await ruleSet();
  if (!set) return null;
  const history = (await entries()).filter((r) => r.key !== key).map((r) => r.data);
  const profile = (await record('settings', 'profile'))?.data || {};
  return assess(entry, history, { rules: set.rules, now, profile, historyDays: set.history_days });
}

/** Ask the server for today's target (it knows the heat and the exercise logged) and next reminder. */
export async function refreshWaterTarget() {
  const today = await api('GET', '/hydration/today');
  await setMeta({ hydration_today: {
    date: dayKey(new Date()), target_ml: today.target_ml, next_reminder_at: today.next_reminder_at,
  } });
  emit('data');
}

export async function comments() {
  return (await records('comment')).filter((r) => r.data)
    .map((r) => r.data).sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
}

export async function assignments() {
  return (await records('assignment')).filter((r) => r.data)
    .map((r) => r.data).sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
}

/**
 * A routine to show or run: a physio's composed routine travels inside its assignment (it is in
 * no catalogue), so look there first; else the catalogue's, stored or fetched.
 */
export async function routineToRun(slug) {
  const composed = (await assignments()).find((a) => a.kind === 'composed' && a.routine?.slug === slug);
  return composed ? composed.routine : catalogueRoutine(slug);
}

/** The programme week (1 = the first) that `now` falls in, from a YYYY-MM-DD start. */
export function weekOf(startDate, now) {
  const start = new Date(`${startDate}T00:00:00`);
  return Math.floor((new Date(`${dayKey(now)}T00:00:00`) - start) / (7 * 864e5)) + 1;
}

/** The routine for today: the physio's assignment if there is one, else a daily habit. */
export async function todaysRoutine(now = new Date()) {
  const routines = await list('routines');
  const bySlug = Object.fromEntries(routines.map((r) => [r.slug, r]));
  for (const assignment of await assignments()) {
    if (assignment.start_date && dayKey(now) < assignment.start_date) continue;
    if (assignment.kind === 'routine' && bySlug[assignment.slug]) {
      return { routine: bySlug[assignment.slug], assignment };
    }
    if (assignment.kind === 'composed' && assignment.routine) return { routine: assignment.routine, assignment };
    if (assignment.kind === 'programme') {
      const programme = (await list('programmes')).find((p) => p.slug === assignment.slug);
      const week = weekOf(assignment.start_date, now);
      const phase = programme?.phases.find((p) => week >= p.weeks[0] && week <= p.weeks[1]);
      if (phase && bySlug[phase.routine]) return { routine: bySlug[phase.routine], assignment, phase, programme };
    }
  }
  const evening = now.getHours() >= 16 || now.getHours() < 4;
  const habit = routines.find((r) => r.kind === (evening ? 'evening' : 'morning')) || routines.find((r) => r.kind !== 'relief');
  return habit ? { routine: habit } : null;
}

export async function doneToday(slug) {
  return (await entries()).some((r) => r.data.kind === 'routine' && r.data.routine === slug && isToday(r.data.occurred_at));
}
