// Sessions: sign up, sign in (keeping the outbox of the same account), sign out.
import { api } from './api.js';
import { forgetAccount, forgetSynced, getMeta, waitingCount, setMeta } from './db.js';
import { emit } from './bus.js';

const API_CACHE = 'unknot-api';

function deviceName() {
  const platform = navigator.userAgentData?.platform || navigator.platform || 'a browser';
  return `Unknot on ${platform}`.slice(0, 100);
}

async function start({ user, token }) {
  const previous = await getMeta('user');
  // Another person on this device: what the last one left behind is not theirs.
  if (previous && previous.id !== user.id) await forgetAccount();
  await setMeta({ token, user, auth_expired: undefined });
  emit('auth');
  emit('write');
  return user;
}

/** Unsynced entries that would be dropped if `email` is another account than the last one. */
export async function strandedBy(email) {
  const previous = await getMeta('user');
  if (!previous || previous.email.toLowerCase() === email.trim().toLowerCase()) return 0;
  return waitingCount();
}

export async function signIn(email, password) {
  return start(await api('POST', '/auth/login', { email: email.trim(), password, device_name: deviceName() }));
}

export async function signUp(displayName, email, password) {
  return start(await api('POST', '/auth/register', {
    display_name: displayName.trim(), email: email.trim(), password, device_name: deviceName(),
  }));
}

/** Sign out: revoke the token if the server can be reached, and forget synced data here. */
export async function signOut() {
  await api('POST', '/auth/logout').catch(() => {});
  await setMeta({ token: undefined, auth_expired: undefined });
  await forgetSynced();
  if (self.caches) await caches.delete(API_CACHE);
  emit('auth');
  emit('data');
}
