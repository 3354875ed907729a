// The app's state lives here and changes only through set(); views subscribe to it.

export const DEFAULT_PREFS = Object.freeze({
  night_mode: 'auto', sleep_start: '22:30', sleep_end: '07:00',
  sound: true, vibration: true, drink_ml: 250, last_muscle: null,
});

const state = {
  online: self.navigator?.onLine ?? true,
  waiting: 0,
  syncing: false,
  syncError: null,
  signedIn: false,
  authExpired: false,
  user: null,
  prefs: { ...DEFAULT_PREFS },
  night: false,
};
const subscribers = new Set();

export function get() {
  return state;
}

export function set(patch) {
  const changed = Object.keys(patch).filter((key) => state[key] !== patch[key]);
  if (!changed.length) return;
  Object.assign(state, patch);
  for (const subscriber of subscribers) subscriber(state, changed);
}

/** Call `subscriber(state, changedKeys)` after every change; returns the unsubscribe function. */
export function subscribe(subscriber) {
  subscribers.add(subscriber);
  return () => subscribers.delete(subscriber);
}
