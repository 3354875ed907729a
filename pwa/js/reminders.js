// Drink reminders: this device's Web Push subscription and the synced switch that turns them on.
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

async function saveHydration(changes) {
  const saved = (await record('settings', 'hydration'))?.data || {};
  const { prefs } = store.get();
  // Reminders keep to the person's own clock and never ring inside the sleep window.
  await saveSettings('hydration', {
    ...saved, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    wake: prefs.sleep_end, sleep: prefs.sleep_start, ...changes,
  });
}

export async function remindersOn() {
  if (!supported()) return false;
  const { current } = await subscription();
  return Boolean(current) && Boolean((await record('settings', 'hydration'))?.data?.reminders_enabled);
}

/** Ask permission, subscribe this device and switch reminders on; resolves with a message. */
export async function turnOn() {
  if ((await Notification.requestPermission()) !== 'granted') {
    return 'Notifications are blocked for this app; allow them in the browser settings first.';
  }
  const { registration, current } = await subscription();
  const { public_key: key } = await api('GET', '/push/vapid-public-key');
  const push = current || await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  await api('POST', '/push/subscriptions', push.toJSON());
  await saveHydration({ reminders_enabled: true });
  return 'Reminders are on.';
}

export async function turnOff() {
  const { current } = await subscription();
  await current?.unsubscribe();
  await saveHydration({ reminders_enabled: false });
  return 'Reminders are off.';
}
