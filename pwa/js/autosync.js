// When to sync, in the page: after each write, on `online`, on `visibilitychange`, on a timer,
// and through Background Sync; failures back off exponentially with full jitter, or for as long
// as the server's Retry-After asks, with jitter on top.
import { sync } from './sync.js';
import { getMeta, waitingCount } from './db.js';
import { emit, listen } from './bus.js';
import * as store from './store.js';

const EVERY_MS = 60_000;
const BASE_MS = 2_000;
const CAP_MS = 5 * 60_000;
let timer = null;
let failures = 0;
let running = false;
let again = false;

/**
 * Delay before retry number `failures`: the server's Retry-After plus up to half again (so the
 * devices it turned away do not all return in the same second), or without one, random within
 * an exponentially growing ceiling.
 */
export function backoff(failures, retryAfterS = null, random = Math.random) {
  if (retryAfterS) return retryAfterS * 1000 * (1 + random() / 2);
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, failures - 1));
  return BASE_MS / 2 + random() * ceiling;
}

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(run, ms);
}

async function askBackgroundSync() {
  const registration = await navigator.serviceWorker?.getRegistration();
  await registration?.sync?.register('unknot-sync').catch(() => {});
}

async function run() {
  if (running) { again = true; return; }
  running = true;
  let result;
  try {
    result = await sync();
  } catch (error) {
    result = { ok: false, reason: 'server', message: String(error) };
  }
  running = false;
  if (result.ok || result.reason === 'signed_out' || result.reason === 'auth') {
    failures = 0;
  } else {
    failures += 1;
    schedule(backoff(failures, result.retryAfter));
    askBackgroundSync();
  }
  const unavailable = result.status === 503;
  store.set({ syncError: result.ok ? null : unavailable ? 'unavailable' : result.reason });
  if (result.ok) emit('synced');
  await refresh();
  if (again) { again = false; schedule(0); }
}

/** Sync soon if there is a network; otherwise leave it to `online` and Background Sync. */
export function requestSync() {
  if (navigator.onLine) schedule(0);
  else askBackgroundSync();
  refresh();
}

/** Read the sync state shown on screen from the database. */
export async function refresh() {
  store.set({
    waiting: await waitingCount(),
    online: navigator.onLine,
    signedIn: Boolean(await getMeta('token')),
    authExpired: Boolean(await getMeta('auth_expired')),
    user: (await getMeta('user')) || null,
  });
}

export function startAutoSync() {
  addEventListener('online', () => { failures = 0; requestSync(); });
  addEventListener('offline', refresh);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') requestSync();
  });
  setInterval(requestSync, EVERY_MS);
  listen((message) => {
    if (message.type === 'write' && !message.remote) requestSync();
    if (message.type === 'data' || message.type === 'auth' || message.type === 'write') refresh();
    if (message.type === 'sync') store.set({ syncing: message.running });
  });
  requestSync();
}
