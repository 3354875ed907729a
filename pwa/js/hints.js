// What the last visit left in localStorage, read before the database opens so that the first
// view is drawn right: the theme (no bright flash at night) and whose start page to show.
const THEME = { day: '#0f5c63', night: '#0b0806' };
const THEME_HINT = 'unknot-theme';
const ROLE_HINT = 'unknot-role';

function applyTheme(night) {
  document.documentElement.dataset.theme = night ? 'night' : 'day';
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', night ? THEME.night : THEME.day);
}

/** Paint the day or night theme and remember it for the next start. */
export function paintTheme(night) {
  applyTheme(night);
  localStorage.setItem(THEME_HINT, night ? 'night' : 'day');
}

/** Apply the theme remembered from last time, before anything else is drawn. */
export function paintRememberedTheme() {
  applyTheme(localStorage.getItem(THEME_HINT) === 'night');
}

/** Whether the signed-in account is a physio's, as last seen. */
export function physioHint() {
  return localStorage.getItem(ROLE_HINT) === 'physio';
}

/** Mark the page with the account's role: the physio layout has no member tabs. */
export function paintRole() {
  document.body.dataset.role = physioHint() ? 'physio' : 'member';
}

/** Remember whether the account is a physio's and repaint; false when nothing changed. */
export function rememberPhysio(physio) {
  if (physio === physioHint()) return false;
  if (physio) localStorage.setItem(ROLE_HINT, 'physio');
  else localStorage.removeItem(ROLE_HINT);
  paintRole();
  return true;
}
