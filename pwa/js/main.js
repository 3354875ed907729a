// Start the app: theme, shell, routes, sync, catalogue and the service worker.
import { startRouter, route } from './router.js';
import { startAutoSync } from './autosync.js';
import { applyNight, loadPrefs } from './prefs.js';
import { refreshContent } from './content.js';
import { startShell } from './shell.js';
import home from './views/home.js';
import { picker, relief } from './views/cramp.js';
import { logCramp, editEntry, logNote } from './views/log.js';
import { routines, routineDetail, programmeDetail } from './views/routines.js';
import player from './views/player.js';
import diary from './views/diary.js';
import help from './views/help.js';
import { signIn, signUp } from './views/account.js';
import settings from './views/settings.js';

function registerRoutes() {
  route('/', home);
  route('/cramp', picker);
  route('/cramp/:muscle', relief);
  route('/log', logCramp);
  route('/note', logNote);
  route('/entry/:key', editEntry);
  route('/routines', routines);
  route('/routines/:slug', routineDetail);
  route('/programmes/:slug', programmeDetail);
  route('/play/:slug', player);
  route('/diary', diary);
  route('/help', help);
  route('/signin', signIn);
  route('/signup', signUp);
  route('/settings', settings);
}

function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { type: 'module', scope: '/' }).catch(() => {});
}

function keepContentFresh() {
  const refresh = () => { if (navigator.onLine) refreshContent().catch(() => {}); };
  addEventListener('online', refresh);
  refresh();
}

async function boot() {
  registerWorker();
  await loadPrefs();
  startShell();
  registerRoutes();
  await startRouter(document.getElementById('main'));
  startAutoSync();
  keepContentFresh();
  // The sleep window opens and closes while the app stays open.
  setInterval(applyNight, 60_000);
}

boot();
