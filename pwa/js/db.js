// The only module that touches IndexedDB. Every function runs one transaction and resolves
// when it has committed; none of them waits for the network while a transaction is open.

const NAME = 'unknot';
const VERSION = 1;
let opening = null;

function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('key', 'key');
    db.createObjectStore('entries', { keyPath: ['entity', 'key'] }).createIndex('entity', 'entity');
    db.createObjectStore('content', { keyPath: 'id' });
    db.createObjectStore('meta');
  }
}

function open() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
    request.onsuccess = () => {
      const db = request.result;
      // Let a newer version of the app upgrade the schema in another tab.
      db.onversionchange = () => { db.close(); opening = null; };
      resolve(db);
    };
    request.onerror = () => { opening = null; reject(request.error); };
  });
  return opening;
}

function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(names, mode, work) {
  const db = await open();
  const tx = db.transaction(names, mode);
  const committed = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new DOMException('Transaction aborted', 'AbortError'));
  });
  const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
  let result;
  try {
    result = await work(stores);
  } catch (error) {
    tx.abort();
    committed.catch(() => {});
    throw error;
  }
  await committed;
  return result;
}

async function eachCursor(request, visit) {
  let cursor = await req(request);
  while (cursor) {
    await visit(cursor);
    cursor.continue();
    cursor = await req(request);
  }
}

export function getMeta(key) {
  return run(['meta'], 'readonly', ({ meta }) => req(meta.get(key)));
}

export function setMeta(values) {
  return run(['meta'], 'readwrite', async ({ meta }) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) meta.delete(key); else meta.put(value, key);
    }
  });
}

export function clientId() {
  return run(['meta'], 'readwrite', async ({ meta }) => {
    let id = await req(meta.get('client_id'));
    if (!id) { id = crypto.randomUUID(); meta.put(id, 'client_id'); }
    return id;
  });
}

/** Append a mutation to the outbox and apply it to the local replica, atomically. */
export function enqueue({ op, entity, key, data, assessment }) {
  return run(['meta', 'outbox', 'entries'], 'readwrite', async ({ meta, outbox, entries }) => {
    const id = (await req(meta.get('next_mutation_id'))) || 1;
    meta.put(id + 1, 'next_mutation_id');
    const record = (await req(entries.get([entity, key]))) || { entity, key, version: 0 };
    const mutation = { id, op, entity, key, base_version: record.version || 0 };
    if (op === 'put') mutation.data = data;
    outbox.add(mutation);
    entries.put({
      ...record, data: op === 'put' ? data : record.data, deleted: op === 'delete',
      // A put judged on the phone shows that verdict until the server's arrives.
      assessment: assessment === undefined ? record.assessment || null : assessment,
      state: 'queued', message: null, fields: null, notice: null,
      queued_at: new Date().toISOString(),
    });
    return id;
  });
}

/** Read the next mutations to push: at most `limit`, stopping before a key repeats. */
export function outboxBatch(limit) {
  return run(['outbox'], 'readonly', async ({ outbox }) => {
    const items = await req(outbox.getAll(null, limit));
    const seen = new Set();
    const batch = [];
    for (const item of items) {
      const id = `${item.entity}:${item.key}`;
      // A later edit of the same key goes in the next batch, based on this one's version.
      if (seen.has(id)) break;
      seen.add(id);
      batch.push(item);
    }
    return batch;
  });
}

export function outboxCount() {
  return run(['outbox'], 'readonly', ({ outbox }) => req(outbox.count()));
}

/** How many things (entries, settings) have changes waiting, however often each was edited. */
export function waitingCount() {
  return run(['outbox'], 'readonly', async ({ outbox }) => {
    let count = 0;
    await eachCursor(outbox.index('key').openKeyCursor(null, 'nextunique'), () => { count += 1; });
    return count;
  });
}

async function settle(stores, item, result) {
  const { outbox, entries } = stores;
  outbox.delete(item.id);
  const pending = await req(outbox.index('key').getAll(item.key));
  const record = await req(entries.get([item.entity, item.key]));
  if (result.version) {
    for (const later of pending) outbox.put({ ...later, base_version: result.version });
  }
  if (!record) return;
  if (result.status === 'rejected') {
    const fields = result.fields || null;
    entries.put({ ...record, state: 'attention', message: result.message || describe(fields), fields });
    return;
  }
  const gone = result.deleted || (item.op === 'delete');
  if (gone && !pending.length) { entries.delete([item.entity, item.key]); return; }
  entries.put({
    ...record,
    version: Math.max(record.version || 0, result.version || 0),
    // The server's verdict on a put replaces the phone's, "nothing to flag" included.
    assessment: item.op === 'put' && result.status !== 'duplicate' ? result.assessment || null : record.assessment || null,
    state: pending.length ? 'queued' : 'synced',
    message: null, fields: null,
    notice: result.status === 'conflict' ? 'Also changed on another device; both edits were kept.' : null,
  });
}

function describe(fields) {
  if (!fields) return 'The server could not accept this entry.';
  return Object.entries(fields).map(([name, errors]) => `${name}: ${[].concat(errors).join(' ')}`).join('; ');
}

/** Record a push's results: drop acknowledged mutations and update the replica. */
export function applyPush(items, body) {
  return run(['outbox', 'entries'], 'readwrite', async (stores) => {
    const byId = new Map(items.map((item) => [item.id, item]));
    for (const result of body.results || []) {
      const item = byId.get(result.id);
      if (item) await settle(stores, item, result);
    }
    await pruneOutbox(stores, body.last_mutation_id);
  });
}

async function pruneOutbox({ outbox, entries }, lastId) {
  if (!lastId) return [];
  const keys = [];
  await eachCursor(outbox.openCursor(IDBKeyRange.upperBound(lastId)), async (cursor) => {
    keys.push([cursor.value.entity, cursor.value.key]);
    cursor.delete();
  });
  for (const key of keys) {
    const record = await req(entries.get(key));
    const left = await req(outbox.index('key').count(key[1]));
    if (record && record.state === 'queued' && !left) entries.put({ ...record, state: 'synced' });
  }
  return keys;
}

/** Renumber the outbox to follow the server's last applied id (answer to a 409). */
export function renumberOutbox(lastId) {
  return run(['meta', 'outbox'], 'readwrite', async ({ meta, outbox }) => {
    const items = await req(outbox.getAll());
    outbox.clear();
    let next = lastId + 1;
    for (const item of items) outbox.add({ ...item, id: next++ });
    meta.put(next, 'next_mutation_id');
  });
}

/** Start over as a new sync client: fresh id, outbox renumbered from 1, cursor reset. */
export function newClient() {
  return run(['meta', 'outbox'], 'readwrite', async ({ meta, outbox }) => {
    const items = await req(outbox.getAll());
    outbox.clear();
    items.forEach((item, index) => outbox.add({ ...item, id: index + 1 }));
    meta.put(items.length + 1, 'next_mutation_id');
    meta.put(crypto.randomUUID(), 'client_id');
    meta.delete('cursor');
  });
}

/** Apply one page of pulled changes and advance the cursor in the same transaction. */
export function applyPull(body) {
  return run(['meta', 'outbox', 'entries'], 'readwrite', async (stores) => {
    const { meta, outbox, entries } = stores;
    await pruneOutbox(stores, body.last_mutation_id);
    if (body.reset) {
      await eachCursor(entries.openCursor(), async (cursor) => {
        if (cursor.value.state === 'synced') cursor.delete();
      });
    }
    for (const change of body.changes || []) {
      // Local edits not yet pushed win until the server has seen them.
      if (await req(outbox.index('key').count(change.key))) continue;
      const id = [change.entity, change.key];
      if (change.deleted) { entries.delete(id); continue; }
      entries.put({
        entity: change.entity, key: change.key, version: change.version, data: change.data,
        deleted: false, state: 'synced', message: null, fields: null, notice: null,
        assessment: (change.data && change.data.assessment) || null,
      });
    }
    meta.put(body.cursor, 'cursor');
  });
}

export function records(entity) {
  return run(['entries'], 'readonly', ({ entries }) => req(entries.index('entity').getAll(entity)));
}

export function record(entity, key) {
  return run(['entries'], 'readonly', ({ entries }) => req(entries.get([entity, key])));
}

/** Forget what the server already has (on sign-out); unsynced work stays. */
export function forgetSynced() {
  return run(['meta', 'entries'], 'readwrite', async ({ meta, entries }) => {
    await eachCursor(entries.openCursor(), async (cursor) => {
      if (cursor.value.state === 'synced') cursor.delete();
    });
    meta.delete('cursor');
  });
}

/** Drop everything of the previous account before another one signs in here. */
export function forgetAccount() {
  return run(['meta', 'outbox', 'entries'], 'readwrite', async ({ meta, outbox, entries }) => {
    outbox.clear();
    entries.clear();
    for (const key of ['cursor', 'next_mutation_id', 'client_id', 'token', 'user', 'patterns']) meta.delete(key);
  });
}

export function getContent(id) {
  return run(['content'], 'readonly', async ({ content }) => (await req(content.get(id)))?.value);
}

export function putContent(items) {
  return run(['content'], 'readwrite', async ({ content }) => {
    for (const [id, value] of Object.entries(items)) content.put({ id, value, saved_at: Date.now() });
  });
}
