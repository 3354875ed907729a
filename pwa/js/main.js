// Start the app: theme, shell, routes, sync, catalogue and the service worker.
import { startRouter, route } from './router.js';
import { listen } from './bus.js';
import { paintRememberedTheme, paintRole, physioHint } from './hints.js';
import home from './views/home.js';

// Only what draws the home view's buttons is in the start-up graph: offline, each module is
// one more read from the worker's cache before the first view. The shell around the views,
// the preferences and the database load right after it; the other views load on first use
// and are warmed up as soon as the home view is on screen.
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
  data: () => import('./views/data.js'),
  patterns: () => import('./views/patterns.js'),
  physio: () => import('./views/physio.js'),
};

const lazy = (module, name = 'default') => async (params, ctx) => (await VIEWS[module]())[name](params, ctx);
const workspace = (name) => async (params, ctx) => (await VIEWS.physio()).screen(name)(params, ctx);

function registerRoutes() {
  // A physio's start page is their patient list (a wider layout for a desk or a tablet).
  route('/', (params, ctx) => (physioHint() ? workspace('patients') : home)(params, ctx));
  route('/patients/:id', workspace('patient'));
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
  route('/about', lazy('routines', 'about'));
  route('/signin', lazy('account', 'signIn'));
  route('/signup', lazy('account', 'signUp'));
  route('/settings', lazy('settings'));
  route('/care', lazy('care'));
  route('/data', lazy('data'));
  route('/patterns', lazy('patterns'));
}

function warmViews() {
  const idle = self.requestIdleCallback || ((fn) => setTimeout(fn, 200));
  idle(() => Object.values(VIEWS).forEach((load) => load().catch(() => {})));
}

function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { type: 'module', scope: '/' }).catch(() => {});
}

async function keepContentFresh({ loadPrefs }) {
  const [{ refreshContent }, { refreshWaterTarget }] = [await import('./content.js'), await import('./records.js')];
  const refresh = () => { if (navigator.onLine) refreshContent().catch(() => {}); };
  addEventListener('online', refresh);
  refresh();
  // Each successful sync of this tab also brings today's water target up to date.
  listen((message) => {
    if (message.type === 'synced' && !message.remote) refreshWaterTarget().catch(() => {});
    // Preferences changed on another device (or tab) arrive as data.
    if (message.type === 'data') loadPrefs();
  });
}

/** Keep the start page in step with the signed-in account's role. */
async function followRole() {
  const { rememberRole } = await VIEWS.physio();
  listen((message) => { if (message.type === 'auth') rememberRole(); });
  rememberRole();
}

/** Load the preferences (and the database behind them) without holding up the first view. */
async function preferences() {
  const prefs = await import('./prefs.js');
  await prefs.loadPrefs();
  return prefs;
}

async function boot() {
  paintRememberedTheme();
  paintRole();
  const prefs = preferences();
  registerRoutes();
  await startRouter(document.getElementById('main'));
  (await import('./shell.js')).startShell();
  const { applyNight } = await prefs;
  registerWorker();
  // Sync and the catalogue are not needed to draw the home view: they load right after it.
  (await import('./autosync.js')).startAutoSync();
  // Where the browser has no Web Push, the app reminds about water itself while it is open.
  (await import('./nudge.js')).remindWhileOpen();
  await keepContentFresh(await prefs);
  await followRole();
  warmViews();
  // The sleep window opens and closes while the app stays open.
  setInterval(applyNight, 60_000);
}

boot();
