// The physiotherapist's workspace as the shell sees it: who gets it, and what offline looks
// like. Its screens live in js/physio/, served but not precached (they need the network).
import { h, heading } from '../dom.js';
import { getMeta } from '../db.js';
import { rememberPhysio } from '../hints.js';
import { go, path } from '../router.js';

let styled = null;
let stranded = false;

/** Remember the signed-in account's role; the start page changes with it. */
export async function rememberRole() {
  const [user, token] = [await getMeta('user'), await getMeta('token')];
  const changed = rememberPhysio(Boolean(token) && user?.role === 'physio');
  if (changed && path() === '/') go('/');
}

function stylesheet() {
  styled ??= new Promise((resolve, reject) => {
    const sheet = h('link', { rel: 'stylesheet', href: '/css/physio.css' });
    sheet.addEventListener('load', resolve);
    sheet.addEventListener('error', () => { sheet.remove(); styled = null; reject(new Error('offline')); });
    document.head.append(sheet);
  });
  return styled;
}

function offline(retry) {
  const online = navigator.onLine;
  return h('div', { class: 'view' },
    heading(online ? 'The workspace did not load' : 'You are offline'),
    h('p', {}, 'The patient workspace needs the internet: patients’ diaries are never stored on this device.'),
    h('p', {}, online ? 'Check the connection, then try again.' : 'It opens again as soon as you are back online.'),
    h('div', { class: 'row' }, h('button', { type: 'button', class: 'primary', onclick: retry }, 'Try again')));
}

/** A workspace screen, loaded on first use; with no network, a page that says so. */
export function screen(name) {
  return async (params, ctx) => {
    // A module that failed to load stays failed in this document: a reload fetches it afresh.
    const retry = () => (stranded ? location.reload() : go(path()));
    addEventListener('online', retry);
    ctx.onLeave(() => removeEventListener('online', retry));
    if (!navigator.onLine) return offline(retry);
    let module;
    try {
      [module] = await Promise.all([import(`../physio/${name}.js`), stylesheet()]);
    } catch {
      stranded = true;
      return offline(retry);
    }
    removeEventListener('online', retry);
    return module.default(params, ctx);
  };
}
