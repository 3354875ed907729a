// Hash routes: '#/cramp/calf' -> the view registered for '/cramp/:muscle'. Views are
// functions (params, ctx) -> Node; ctx.onLeave and ctx.onData hook into the view's life.
import { listen } from './bus.js';

const routes = [];
let current = null;
let main = null;
let renders = 0;

/** Register a view for a path pattern such as '/routines/:slug'. */
export function route(pattern, view) {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (_, name) => { names.push(name); return '([^/]+)'; });
  routes.push({ regex: new RegExp(`^${source}$`), names, view });
}

export function go(path) {
  if (location.hash === `#${path}`) render();
  else location.hash = path;
}

export function path() {
  return location.hash.slice(1) || '/';
}

function match(target) {
  const [pathname, query = ''] = target.split('?');
  for (const { regex, names, view } of routes) {
    const found = pathname.match(regex);
    if (found) {
      const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
      return { view, params: { ...Object.fromEntries(new URLSearchParams(query)), ...params } };
    }
  }
  return match('/');
}

function leave() {
  if (!current) return;
  for (const cleanup of current.cleanups) cleanup();
  current = null;
}

async function render() {
  const number = ++renders;
  leave();
  const { view, params } = match(path());
  const mounted = { cleanups: [] };
  current = mounted;
  const ctx = {
    onLeave: (fn) => mounted.cleanups.push(fn),
    onData: (fn) => mounted.cleanups.push(listen((message) => { if (message.type === 'data' || message.type === 'write') fn(); })),
  };
  const node = await view(params, ctx);
  if (number !== renders) { for (const cleanup of mounted.cleanups) cleanup(); return; }
  main.replaceChildren(node);
  document.body.dataset.route = path().split('/')[1] || 'home';
  if (number > 1) {
    scrollTo(0, 0);
    main.querySelector('h1')?.focus({ preventScroll: true });
  }
  dispatchEvent(new CustomEvent('unknot:rendered', { detail: path() }));
}

export function startRouter(element) {
  main = element;
  addEventListener('hashchange', render);
  return render();
}
