// The sync engine (protocol v1): push the outbox in order, then pull changes since the cursor.
// Runs in a page or in the service worker; it holds no timers and touches no DOM.
import * as db from './db.js';
import { api, ApiError } from './api.js';
import { emit } from './bus.js';

export const PUSH_BATCH = 100;
const PULL_LIMIT = 500;
const RECOVERIES = 2;

function wire({ id, op, entity, key, base_version, data }) {
  return op === 'put' ? { id, op, entity, key, base_version, data } : { id, op, entity, key, base_version };
}

async function pushAll() {
  let recoveries = 0;
  for (;;) {
    const items = await db.outboxBatch(PUSH_BATCH);
    if (!items.length) return;
    const body = { client_id: await db.clientId(), schema_version: 1, mutations: items.map(wire) };
    let answer;
    try {
      answer = await api('POST', '/sync/push', body);
    } catch (error) {
      if (recoveries++ >= RECOVERIES) throw error;
      // The server lost track of part of our sequence: resend from what it has.
      if (error.status === 409 && Number.isInteger(error.body.last_mutation_id)) {
        await db.renumberOutbox(error.body.last_mutation_id);
      } else if (error.status === 403) {
        // This client id belongs to another account (one device, two people): start afresh.
        await db.newClient();
      } else {
        throw error;
      }
      continue;
    }
    await db.applyPush(items, answer);
    emit('data');
  }
}

async function pullAll() {
  const clientId = await db.clientId();
  for (;;) {
    const cursor = (await db.getMeta('cursor')) || 0;
    const answer = await api('POST', '/sync/pull', { client_id: clientId, cursor, limit: PULL_LIMIT });
    await db.applyPull(answer);
    if (answer.changes.length || answer.reset) emit('data');
    if (!answer.has_more) return;
  }
}

async function exclusive(work) {
  // One sync at a time across tabs and the worker; the server would cope, the UI reads better.
  if (self.navigator?.locks) return navigator.locks.request('unknot-sync', work);
  return work();
}

function failure(error) {
  return {
    ok: false, reason: error.status ? 'server' : 'offline', status: error.status,
    retryAfter: error.retryAfter, message: error.message,
  };
}

/**
 * Push, then pull. Resolves with {ok: true} or {ok: false, reason, status, retryAfter, message}
 * where reason is 'signed_out', 'auth', 'offline' or 'server' (then status is the HTTP status:
 * 503 means the server is up but its database is not; the outbox is kept either way).
 * After an answer with Retry-After nothing is sent until it has passed, from a page or the
 * worker (Background Sync fires at once when online): each gets the same failure meanwhile.
 */
export function sync() {
  return exclusive(async () => {
    if (!(await db.getMeta('token'))) return { ok: false, reason: 'signed_out' };
    const wait = await db.getMeta('server_wait');
    const now = Date.now();
    if (wait && wait.at <= now && now < wait.until) {  // `at`: a clock set back does not extend it
      return failure({ ...wait, retryAfter: (wait.until - now) / 1000 });
    }
    emit('sync', { running: true });
    try {
      await pushAll();
      await pullAll();
      await db.setMeta({ synced_at: new Date().toISOString(), server_wait: undefined });
      return { ok: true };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) {
        // Keep the outbox: it syncs once the person signs in again.
        await db.setMeta({ token: undefined, auth_expired: true });
        emit('auth');
        return { ok: false, reason: 'auth', message: error.message };
      }
      if (error.retryAfter) {
        const at = Date.now();
        const until = at + error.retryAfter * 1000;
        const { status, message } = error;
        await db.setMeta({ server_wait: { at, until, status, message } });
      }
      return failure(error);
    } finally {
      emit('sync', { running: false });
    }
  });
}
