// Preferences (synced as the "preferences" settings) and the night mode they drive.
import { getMeta, record, setMeta } from './db.js';
import { saveSettings } from './outbox.js';
import { inWindow } from './time.js';
import { paintTheme } from './hints.js';
import { followSleep } from './reminders.js';
import * as store from './store.js';

/** The muscle of the last cramp logged on this device, else the one synced from elsewhere. */
export async function lastMuscle() {
  return (await getMeta('last_muscle')) || store.get().prefs.last_muscle;
}

export function rememberMuscle(muscle) {
  return setMeta({ last_muscle: muscle });
}

export async function loadPrefs() {
  const saved = await record('settings', 'preferences');
  const prefs = { ...store.DEFAULT_PREFS, ...(saved?.data || {}) };
  if (JSON.stringify(prefs) !== JSON.stringify(store.get().prefs)) store.set({ prefs });
  await applyNight();
  await followSleep();
}

/** Change some preferences locally and queue them for sync. */
export async function savePrefs(patch) {
  const prefs = { ...store.get().prefs, ...patch };
  store.set({ prefs });
  if ('night_mode' in patch) await setMeta({ night_override: undefined });
  // The last muscle is remembered locally on every cramp and travels with the next change.
  prefs.last_muscle = (await getMeta('last_muscle')) || prefs.last_muscle;
  await saveSettings('preferences', Object.fromEntries(Object.keys(store.DEFAULT_PREFS).map((k) => [k, prefs[k]])));
  await applyNight();
  // The reminder schedule keeps to the same sleep window as night mode.
  await followSleep();
}

/** Night mode by preference: on, off, or automatic inside the sleep window. */
export function nightByPrefs(prefs, now = new Date()) {
  if (prefs.night_mode === 'on') return true;
  if (prefs.night_mode === 'off') return false;
  return inWindow(now, prefs.sleep_start, prefs.sleep_end);
}

/** Flip night mode by hand until the sleep window next starts or ends. */
export async function toggleNight() {
  const night = !store.get().night;
  await setMeta({ night_override: { night, automatic: nightByPrefs(store.get().prefs) } });
  await applyNight();
}

export async function applyNight() {
  const { prefs } = store.get();
  const automatic = nightByPrefs(prefs);
  let night = automatic;
  const override = await getMeta('night_override');
  // An override lasts while the automatic answer stays what it was when it was made.
  if (override && override.automatic === automatic) night = override.night;
  else if (override) await setMeta({ night_override: undefined });
  store.set({ night });
  paintTheme(night);
}
