// Local-first writes: each one lands in IndexedDB (replica and outbox) before anything else.
import { enqueue } from './db.js';
import { emit } from './bus.js';

async function write(mutation) {
  const id = await enqueue(mutation);
  emit('write', { key: mutation.key });
  return id;
}

/**
 * Save an entry (new when no key is given); resolves with its key once stored locally. A cramp
 * is judged against the warning-sign rules here, so its advice is there with no network.
 */
export async function saveEntry(data, key = crypto.randomUUID()) {
  let assessment;
  if (data.kind === 'cramp') {
    // Loaded on demand: the service worker saves drinks only, and needs none of it.
    const { judge } = await import('./records.js');
    const verdict = await judge(data, key);
    assessment = verdict && verdict.flags.length ? verdict : null;
  }
  await write({ op: 'put', entity: 'entry', key, data, assessment });
  return key;
}

export function deleteEntry(key) {
  return write({ op: 'delete', entity: 'entry', key });
}

export function saveSettings(name, data) {
  return write({ op: 'put', entity: 'settings', key: name, data });
}
