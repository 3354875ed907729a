// The parts around every view: the sync state, the night switch and the sign-in banner.
import * as store from './store.js';
import { toggleNight } from './prefs.js';
import { h } from './dom.js';

/** The words for the sync state: "All synced", "N waiting", "Offline", ... */
export function syncText({ online, waiting, signedIn, syncing, syncError }) {
  const queued = waiting ? `${waiting} waiting` : '';
  if (!online) return queued ? `Offline · ${queued}` : 'Offline';
  if (!signedIn) return queued ? `${queued} · sign in to sync` : 'Not signed in';
  if (!waiting) return 'All synced';
  if (syncing) return `Syncing ${waiting}…`;
  if (syncError === 'unavailable') return queued;  // the banner says why; the bar has no room
  return syncError ? `${queued} · will retry` : queued;
}

const NOTICES = {
  signin: () => [h('p', {}, 'You were signed out. Sign in again to sync your entries; nothing is lost.'),
    h('a', { href: '#/signin', class: 'button' }, 'Sign in again')],
  unavailable: () => [h('p', {}, 'The Unknot server is unavailable right now. What you log is kept '
    + 'on this device and syncs by itself when the server is back.')],
};

/** Which notice the banner shows, if any: signing in again first, then a server outage. */
function notice({ authExpired, signedIn, online, syncError }) {
  if (authExpired && !signedIn && document.body.dataset.route !== 'signin') return 'signin';
  return online && signedIn && syncError === 'unavailable' ? 'unavailable' : '';
}

function paint(state) {
  const pill = document.getElementById('sync-state');
  pill.textContent = syncText(state);
  pill.dataset.state = !state.online ? 'offline' : state.waiting ? 'waiting' : 'synced';
  document.getElementById('night-toggle').setAttribute('aria-pressed', String(state.night));
  const banner = document.getElementById('banner');
  const kind = notice(state);
  banner.hidden = !kind;
  // Rebuilt only when the notice changes, so the alert is announced once, not at every retry.
  if ((banner.dataset.notice || '') !== kind) {
    banner.dataset.notice = kind;
    banner.replaceChildren(...(kind ? NOTICES[kind]() : []));
  }
}

export function startShell() {
  document.getElementById('night-toggle').addEventListener('click', toggleNight);
  store.subscribe(paint);
  addEventListener('unknot:rendered', () => paint(store.get()));
  paint(store.get());
}
