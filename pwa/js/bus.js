// Tells every part of the app, in this tab, other tabs and the worker, that something changed.

const listeners = new Set();
let channel = null;

function getChannel() {
  if (!channel && 'BroadcastChannel' in self) {
    channel = new BroadcastChannel('unknot');
    channel.onmessage = (event) => deliver({ ...event.data, remote: true });
  }
  return channel;
}

function deliver(message) {
  for (const listener of listeners) listener(message);
}

/** Announce a change ({type: 'data' | 'auth' | 'sync', ...}) everywhere. */
export function emit(type, detail = {}) {
  const message = { type, ...detail };
  deliver(message);
  getChannel()?.postMessage(message);
}

/** Call `listener(message)` for every announcement; returns the unsubscribe function. */
export function listen(listener) {
  getChannel();
  listeners.add(listener);
  return () => listeners.delete(listener);
}
