// Start the app: theme, shell, routes, sync, catalogue and the service worker.
import { startRouter, route } from './router.js';
import { applyNight, loadPrefs, paintRememberedTheme } from './prefs.js';
import { startShell } from './shell.js';
import { listen } from './bus.js';
import home from './views/home.js';
import { paintRole, physioHint, rememberRole, screen } from './views/physio.js';

// Only the home view is in the start-up graph; the others load on first use (from the
// worker's cache) and are warmed up as soon as the home view is on screen.
const VIEWS = {
  cramp: () => import('./views/cramp.js'),
  log: () => import('./views/log.js'),
  routines: () => import('./views/routines.js'),
  player: () => import('./views/player.js'),
  diary: () => import('./views/diary.js'),
  help: () => import('./views/help.js'),
  account: () => import('./views/account.js'),
  settings: () => import('./views/settings.js'),
  care: () => import('./views/care.js'),
};

const lazy = (module, name = 'default') => async (params, ctx) => (await VIEWS[module]())[name](params, ctx);

function registerRoutes() {
  // A physio's start page is their patient list (a wider layout for a desk or a tablet).
  route('/', (params, ctx) => (physioHint() ? screen('patients') : home)(params, ctx));
  route('/patients/:id', screen('patient'));
  route('/cramp', lazy('cramp', 'picker'));
  route('/cramp/:muscle', lazy('cramp', 'relief'));
  route('/log', lazy('log', 'logCramp'));
  route('/note', lazy('log', 'logNote'));
  route('/entry/:key', lazy('log', 'editEntry'));
  route('/routines', lazy('routines', 'routines'));
  route('/routines/:slug', lazy('routines', 'routineDetail'));
  route('/programmes/:slug', lazy('routines', 'programmeDetail'));
  route('/play/:slug', lazy('player'));
  route('/diary', lazy('diary'));
  route('/help', lazy('help'));
  route('/signin', lazy('account', 'signIn'));
  route('/signup', lazy('account', 'signUp'));
  route('/settings', lazy('settings'));
  route('/care', lazy('care'));
}

function warmViews() {
  const idle = self.requestIdleCallback || ((fn) => setTimeout(fn, 200));
  idle(() => Object.values(VIEWS).forEach((load) => load().catch(() => {})));
}

function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { type: 'module', scope: '/' }).catch(() => {});
}

async function keepContentFresh() {
  const [{ refreshContent }, { refreshWaterTarget }] = [await import('./content.js'), await import('./records.js')];
  const refresh = () => { if (navigator.onLine) refreshContent().catch(() => {}); };
  addEventListener('online', refresh);
  refresh();
  // Each successful sync of this tab also brings today's water target up to date.
  listen((message) => {
    if (message.type === 'synced' && !message.remote) refreshWaterTarget().catch(() => {});
    // Preferences changed on another device (or tab) arrive as data.
    if (message.type === 'data') loadPrefs();
    if (message.type === 'auth') rememberRole();
  });
}

async function boot() {
  paintRememberedTheme();
  paintRole();
  const prefs = loadPrefs();
  startShell();
  registerRoutes();
  await startRouter(document.getElementById('main'));
  await prefs;
  registerWorker();
  // Sync and the catalogue are not needed to draw the home view: they load right after it.
  (await import('./autosync.js')).startAutoSync();
  // Where the browser has no Web Push, the app reminds about water itself while it is open.
  (await import('./nudge.js')).remindWhileOpen();
  await keepContentFresh();
  rememberRole();
  warmViews();
  // The sleep window opens and closes while the app stays open.
  setInterval(applyNight, 60_000);
}

boot();
