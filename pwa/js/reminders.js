// Drink reminders: this device's Web Push subscription and the synced hydration settings.
import { api } from './api.js';
import { record } from './db.js';
import { saveSettings } from './outbox.js';
import * as store from './store.js';

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function supported() {
  return 'serviceWorker' in navigator && 'PushManager' in self && 'Notification' in self;
}

async function subscription() {
  const registration = await navigator.serviceWorker.getRegistration();
  return { registration, current: await registration?.pushManager.getSubscription() };
}

// The sleep window lives in the preferences (night mode reads it); the server gets a copy.
function sleepWindow({ sleep_start: sleep, sleep_end: wake }) {
  return { timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, wake, sleep };
}

export async function hydrationSettings() {
  return (await record('settings', 'hydration'))?.data || {};
}

export async function saveHydration(changes) {
  await saveSettings('hydration', { ...(await hydrationSettings()), ...changes, ...sleepWindow(store.get().prefs) });
}

/** Copy a changed sleep window into stored hydration settings (not the zone: two devices would fight). */
export async function followSleep() {
  const saved = (await record('settings', 'hydration'))?.data;
  const { sleep_start: sleep, sleep_end: wake } = store.get().prefs;
  if (saved && (saved.wake !== wake || saved.sleep !== sleep)) await saveHydration({});
}

export async function remindersOn() {
  const enabled = Boolean((await record('settings', 'hydration'))?.data?.reminders_enabled);
  if (!supported()) return enabled;
  const { current } = await subscription();
  return Boolean(current) && enabled;
}

/** Say in words what the browser's refusal to subscribe means, and what to do about it. */
function refusal(error) {
  if (error?.name === 'NotAllowedError') {
    return 'This browser will not deliver reminders to Unknot on this device. Check that notifications '
      + 'are allowed for this site in the browser settings (private windows often block them), then try again.';
  }
  if (error?.name === 'AbortError') {
    return "This browser could not reach its notification service, so reminders can't be set up right now. "
      + 'Check the connection and try again later.';
  }
  return 'Reminders could not be set up on this device. Try again later, or in another browser.';
}

/** Ask permission, subscribe this device and switch reminders on; resolves with a message. */
export async function turnOn() {
  if (!supported()) {
    // No Web Push here: the app itself reminds while it is open (see nudge.js).
    await saveHydration({ reminders_enabled: true });
    return 'Reminders are on while the app is open.';
  }
  if ((await Notification.requestPermission()) !== 'granted') {
    return 'Notifications are blocked for this app; allow them in the browser settings first.';
  }
  const { registration, current } = await subscription();
  const { public_key: key } = await api('GET', '/push/vapid-public-key');
  let push = current;
  try {
    push ||= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  } catch (error) {
    throw new Error(refusal(error));
  }
  await api('POST', '/push/subscriptions', push.toJSON());
  await saveHydration({ reminders_enabled: true });
  return 'Reminders are on.';
}

export async function turnOff() {
  if (supported()) await (await subscription()).current?.unsubscribe();
  await saveHydration({ reminders_enabled: false });
  return 'Reminders are off.';
}
