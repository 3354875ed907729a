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

/**
 * Push, then pull. Resolves with {ok: true} or {ok: false, reason, retryAfter, message}
 * where reason is 'signed_out', 'auth', 'offline' or 'server'.
 */
export function sync() {
  return exclusive(async () => {
    if (!(await db.getMeta('token'))) return { ok: false, reason: 'signed_out' };
    emit('sync', { running: true });
    try {
      await pushAll();
      await pullAll();
      await db.setMeta({ synced_at: new Date().toISOString() });
      return { ok: true };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) {
        // Keep the outbox: it syncs once the person signs in again.
        await db.setMeta({ token: undefined, auth_expired: true });
        emit('auth');
        return { ok: false, reason: 'auth', message: error.message };
      }
      return {
        ok: false, reason: error.status ? 'server' : 'offline',
        retryAfter: error.retryAfter, message: error.message,
      };
    } finally {
      emit('sync', { running: false });
    }
  });
}
