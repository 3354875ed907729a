// The service worker only wires events; each strategy is a named function below.
// The server replaces the SHELL line with this build's cache name and precache list.
import { sync } from './js/sync.js';
import { saveEntry } from './js/outbox.js';
import { outboxCount } from './js/db.js';
import { isoLocal } from './js/time.js';

const SHELL = {"cache": "unknot-shell-dev", "files": ["/"]};
const API_CACHE = 'unknot-api';
let shellCache = null;

self.addEventListener('install', (event) => {
  routeShellToCache(event);
  event.waitUntil(precache().then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => event.waitUntil(dropOldCaches().then(() => self.clients.claim())));
self.addEventListener('fetch', (event) => {
  const strategy = strategyFor(event.request);
  if (strategy) event.respondWith(strategy(event.request));
});
self.addEventListener('message', (event) => {
  if (event.data?.type === 'sync') event.waitUntil(sync());
});
self.addEventListener('sync', (event) => {
  if (event.tag === 'unknot-sync') event.waitUntil(syncOrRetryLater());
});
self.addEventListener('push', (event) => event.waitUntil(Promise.all([notify(event.data), sendWaiting()])));
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const action = event.notification.data?.actions?.find((a) => a.action === event.action);
  event.waitUntil(action?.action === 'drink' ? logDrink(action) : openApp(event.notification.data?.url || '/'));
});

/** Pick the strategy for a request; cross-origin and non-GET requests pass straight through. */
function strategyFor(request) {
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return null;
  if (url.pathname.startsWith('/api/')) return networkFirst;
  if (request.mode === 'navigate') return appShell;
  return cacheFirst;
}

function openShell() {
  shellCache ??= caches.open(SHELL.cache);
  return shellCache;
}

/** Where the browser can, let it read shell files from the cache without waking this script. */
function routeShellToCache(event) {
  if (!event.addRoutes || !self.URLPattern) return;
  const routes = ['/js/*', '/css/*', '/icons/*'].map((pathname) => ({
    condition: { urlPattern: new URLPattern({ pathname }), requestMethod: 'GET' },
    source: { cacheName: SHELL.cache },
  }));
  event.addRoutes(routes).catch(() => {}); // Older engines: the fetch handler does the same.
}

async function precache() {
  const cache = await caches.open(SHELL.cache);
  // 'reload' skips the HTTP cache so the new cache holds exactly this build's files.
  await cache.addAll(SHELL.files.map((url) => new Request(url, { cache: 'reload' })));
}

async function dropOldCaches() {
  for (const name of await caches.keys()) {
    if (name !== SHELL.cache && name !== API_CACHE) await caches.delete(name);
  }
}

/** Pages: the cached page when there is one, else the network, else the app shell. */
async function appShell(request) {
  const cache = await openShell();
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {
    return (await cache.match('/')) || Promise.reject(error);
  }
}

/** Shell files: from the precache, else the network. */
async function cacheFirst(request) {
  return (await (await openShell()).match(request)) || fetch(request);
}

/** API reads: the network when it answers, else the last answer we kept. */
async function networkFirst(request) {
  const cache = await caches.open(API_CACHE);
  try {
    const response = await fetch(request);
    // A page that asked for 'no-store' (the profile, for instance) wants nothing kept.
    if (response.ok && request.cache !== 'no-store') await cache.put(request, response.clone());
    return response;
  } catch (error) {
    return (await cache.match(request)) || Promise.reject(error);
  }
}

/** Background Sync: a failure the network may cure makes the browser try again later. */
async function syncOrRetryLater() {
  const result = await sync();
  if (!result.ok && (result.reason === 'offline' || result.reason === 'server')) {
    throw new Error(`Sync will be retried: ${result.message}`);
  }
}

async function notify(data) {
  let message = {};
  try {
    message = data ? data.json() : {};
  } catch {
    message = { body: data.text() };
  }
  const actions = message.actions || [];
  await self.registration.showNotification(message.title || 'Unknot', {
    body: message.body || '', tag: message.tag, icon: '/icons/icon-192.png', badge: '/icons/icon-96.png',
    actions: actions.map(({ action, title }) => ({ action, title })),
    data: { url: message.url || '/', actions },
  });
}

/** The reminder's "+250 ml" button: log the drink through the outbox, then try to send it. */
async function logDrink({ volume_ml: volume, drink }) {
  await saveEntry({ kind: 'hydration', occurred_at: isoLocal(), volume_ml: volume, drink: drink || 'water' });
  // Offline, the drink waits in the outbox for the next push or the app's next start. (Chromium
  // lets a worker ask for Background Sync only while a window of the app is open, and that
  // window syncs by itself.)
  await sync();
}

/** A push means the device is online again: send what waits in the outbox, page or not. */
async function sendWaiting() {
  if (await outboxCount()) await sync();
}

async function openApp(url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (!open) return self.clients.openWindow(url);
  await open.focus();
  return open.navigate ? open.navigate(url).catch(() => open) : open;
}
