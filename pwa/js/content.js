// The catalogue (exercises, routines with their timelines, programmes, pages) and the warning-sign
// rules, kept in IndexedDB so that relief, routines and advice work with no network.
import { api } from './api.js';
import { getContent, getMeta, putContent, setMeta } from './db.js';
import { emit } from './bus.js';

const LISTS = ['routines', 'exercises', 'programmes', 'pages'];
const STALE_MS = 6 * 3600_000;

export async function list(kind) {
  return (await getContent(`list:${kind}`)) || [];
}

export async function exercises() {
  return Object.fromEntries((await list('exercises')).map((exercise) => [exercise.slug, exercise]));
}

async function fetchRoutine(slug) {
  // 'no-cache' revalidates with the ETag, so an unchanged routine costs a 304.
  const routine = await api('GET', `/content/routines/${encodeURIComponent(slug)}`, undefined, { cache: 'no-cache' });
  await putContent({ [`routine:${slug}`]: routine });
  return routine;
}

/** One routine with its timeline: stored, else fetched, else (for relief) a built-in one. */
export async function routine(slug) {
  const stored = await getContent(`routine:${slug}`);
  if (stored) return stored;
  try {
    return await fetchRoutine(slug);
  } catch (error) {
    if (slug.startsWith('relief-')) return reliefFallback(slug.slice(7), (await import('./pictures.js')).RELIEF);
    throw error;
  }
}

/**
 * A relief routine that needs nothing from the server: one hold until the cramp lets go, with
 * the picture of the stretch the full routine starts with (`relief`, from the shell's pictures).
 */
export function reliefFallback(muscle, relief = {}) {
  const hold = {
    type: 'hold', exercise: relief[muscle] ?? null, label: 'Stretch gently and hold until the cramp lets go',
    duration_s: 30, side: null, until_release: true, target_s: 30, rep: null, set: 1,
  };
  return {
    slug: `relief-${muscle}`, name: 'Cramp relief', kind: 'relief', muscles: [muscle], items: [],
    summary: 'Stop, support the limb, and stretch the muscle slowly without bouncing.',
    timeline: { steps: [hold], total_s: 30 },
  };
}

/** The red-flag rule set ({version, history_days, rules}), or null before the first online start. */
export async function ruleSet() {
  return (await getContent('redflags')) || null;
}

/** Bring the catalogue up to date when it is older than a few hours (or when forced). */
export async function refreshContent({ force = false } = {}) {
  const last = (await getMeta('content_at')) || 0;
  if (!force && Date.now() - last < STALE_MS) return false;
  // The rules first: advice on warning signs matters more than any routine.
  const lists = { redflags: await api('GET', '/content/redflags', undefined, { cache: 'no-cache' }) };
  for (const kind of LISTS) {
    lists[`list:${kind}`] = (await api('GET', `/content/${kind}`, undefined, { cache: 'no-cache' })).items;
  }
  await putContent(lists);
  const slugs = lists['list:routines'].map((item) => item.slug);
  // A few at a time: the catalogue is small, the phone's connection may not be.
  for (let i = 0; i < slugs.length; i += 4) {
    await Promise.all(slugs.slice(i, i + 4).map(fetchRoutine));
  }
  await setMeta({ content_at: Date.now() });
  // Screens drawn before the catalogue arrived (home on a first visit) draw themselves again.
  emit('data', { content: true });
  return true;
}
