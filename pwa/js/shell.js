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
  return syncError ? `${queued} · will retry` : queued;
}

function paint(state) {
  const pill = document.getElementById('sync-state');
  pill.textContent = syncText(state);
  pill.dataset.state = !state.online ? 'offline' : state.waiting ? 'waiting' : 'synced';
  document.getElementById('night-toggle').setAttribute('aria-pressed', String(state.night));
  const banner = document.getElementById('banner');
  const show = state.authExpired && !state.signedIn && document.body.dataset.route !== 'signin';
  banner.hidden = !show;
  if (show && !banner.childElementCount) {
    banner.append(h('p', {}, 'You were signed out. Sign in again to sync your entries; nothing is lost.'),
      h('a', { href: '#/signin', class: 'button' }, 'Sign in again'));
  }
}

export function startShell() {
  document.getElementById('night-toggle').addEventListener('click', toggleNight);
  store.subscribe(paint);
  addEventListener('unknot:rendered', () => paint(store.get()));
  paint(store.get());
}
