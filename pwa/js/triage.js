// Judge a cramp against the server's red-flag rules (GET /content/redflags), on the phone and
// offline, with the semantics of server/redflags.py: the same entry, history and profile give
// the same level and the same flags, in the same order. tests/e2e/test_triage_parity.py holds
// the two to that over the shared table of cases.

export const LEVEL_ORDER = ['self_care', 'see_doctor', 'urgent', 'emergency'];
const DAY_S = 86400;
const NIGHT_SHIFT_S = 12 * 3600;
const PATTERNS = new Set(['nights', 'rising', 'severe_run', 'active_days']);
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * An ISO 8601 time as {stamp, offset}: POSIX seconds, and the minutes its own offset is ahead
 * of UTC (a time with no offset is UTC, as on the server).
 */
export function parseTime(iso) {
  const m = ISO.exec(String(iso));
  if (!m) throw new RangeError(`Not an ISO 8601 time: ${iso}`);
  const [, y, mo, d, hh = '0', mi = '0', ss = '0', frac = '', , sign, oh = '0', om = '0'] = m;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  const utc = new Date(0);
  utc.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  utc.setUTCHours(Number(hh), Number(mi), Number(ss), 0);
  const stamp = utc.getTime() / 1000 + Number(`0.${frac || '0'}`) - offset * 60;
  return { stamp, offset };
}

/** The calendar day (YYYY-MM-DD) of a moment in its own offset, `shift` seconds earlier. */
function localDay({ stamp, offset }, shift = 0) {
  return new Date(Math.floor((stamp + offset * 60 - shift) * 1000)).toISOString().slice(0, 10);
}

const dayNumber = (isoDay) => Date.UTC(Number(isoDay.slice(0, 4)), Number(isoDay.slice(5, 7)) - 1, Number(isoDay.slice(8, 10))) / 864e5;

/** The number of items of sorted `stamps` that are at most `value` (Python's bisect_right). */
function bisectRight(stamps, value) {
  let low = 0;
  let high = stamps.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (value < stamps[mid]) high = mid; else low = mid + 1;
  }
  return low;
}

/** An entry and the cramps before it, with the windows of days the pattern rules count in. */
class Episodes {
  constructor(entry, earlier, now) {
    this.entry = entry;
    const moment = parseTime(entry.occurred_at);
    // An entry that claims to be in the future is judged as of now (in UTC, as the server does).
    this.anchor = moment.stamp <= now ? moment : { stamp: now, offset: 0 };
    const cut = bisectRight(earlier.map((pair) => pair[0].stamp), this.anchor.stamp);
    this.pairs = [...earlier.slice(0, cut), [this.anchor, entry]];
    this.stamps = this.pairs.map((pair) => pair[0].stamp);
  }

  /** Episodes in the `days` days ending `offsetDays` before the anchor. */
  within(days, offsetDays = 0) {
    const end = this.anchor.stamp - offsetDays * DAY_S;
    const start = end - days * DAY_S;
    return this.pairs.slice(bisectRight(this.stamps, start), bisectRight(this.stamps, end));
  }
}

const disjoint = (values, codes) => !codes.some((code) => values.has(code));

function signs({ entry }, when, profile) {
  const ticked = new Set(entry.red_flags || []);
  const triggers = new Set(entry.triggers || []);
  const context = entry.context;
  return (!('any' in when) || !disjoint(ticked, when.any))
    && (when.all || []).every((code) => ticked.has(code))
    && (!('contexts' in when) || when.contexts.includes(context))
    && !(when.except_contexts || []).includes(context)
    && (!('muscles' in when) || when.muscles.includes(entry.muscle))
    && (!('sides' in when) || when.sides.includes(entry.side))
    && (!('triggers' in when) || !disjoint(triggers, when.triggers))
    && (!when.pregnant || Boolean(profile.pregnant) || triggers.has('pregnancy'))
    && (!('medicines' in when) || !disjoint(new Set(profile.medicines || []), when.medicines));
}

function newPrescription({ entry }, when, profile) {
  if ((entry.triggers || []).includes('medication_change')) return true;
  const started = profile.medicine_started_on;
  if (!started) return false;
  const days = dayNumber(localDay(parseTime(entry.occurred_at))) - dayNumber(started);
  return days >= 0 && days <= when.days;
}

const durationOver = ({ entry }, when) => (entry.duration_s || 0) > when.seconds;

function nights(episodes, when) {
  if (episodes.entry.context !== 'night') return false;
  const seen = new Set(episodes.within(when.days)
    .filter(([, item]) => item.context === 'night')
    .map(([moment]) => localDay(moment, NIGHT_SHIFT_S)));
  return seen.size >= when.nights;
}

function rising(episodes, when) {
  const recent = episodes.within(when.days).length;
  const before = episodes.within(when.days, when.days).length;
  return before >= 1 && recent >= when.min_recent && recent >= when.factor * before;
}

function severeRun(episodes, when) {
  return episodes.within(when.days).filter(([, item]) => (item.intensity || 0) >= when.min_intensity
    && (item.duration_s || 0) >= when.min_duration_s).length >= when.count;
}

/** Cramps on at least `min_days` calendar days (each in its own offset) in the window. */
function activeDays(episodes, when) {
  const seen = new Set(episodes.within(when.days).map(([moment]) => localDay(moment)));
  return seen.size >= when.min_days;
}

const TESTS = {
  signs,
  new_prescription: newPrescription,
  duration_over: durationOver,
  nights,
  rising,
  severe_run: severeRun,
  active_days: activeDays,
};

/**
 * {level, flags} for a cramp entry, given the rule set, the person's other cramps (any order;
 * the caller need not cut them to a window), `now` (a Date or ISO string) and their profile.
 * A rule of a type this build does not know never fires; the server's verdict follows on sync.
 */
export function assess(entry, history, { rules, now = new Date(), profile = {}, historyDays = 28 }) {
  const nowStamp = typeof now === 'string' ? parseTime(now).stamp : now.getTime() / 1000;
  const earlier = history.filter((item) => item.kind === 'cramp')
    .map((item) => [parseTime(item.occurred_at), item])
    .sort((a, b) => a[0].stamp - b[0].stamp);
  const episodes = new Episodes(entry, earlier, nowStamp);
  const patterns = nowStamp - episodes.anchor.stamp <= historyDays * DAY_S;
  const ticked = (entry.red_flags || []).length > 0;
  const raised = [];
  rules.forEach((rule, order) => {
    const { when } = rule;
    const test = TESTS[when.type];
    if (!test) return;
    if (PATTERNS.has(when.type) && !patterns) return;
    if ((when.any?.length || when.all?.length) && !ticked) return;
    if (test(episodes, when, profile || {})) raised.push([order, rule]);
  });
  raised.sort((a, b) => LEVEL_ORDER.indexOf(b[1].level) - LEVEL_ORDER.indexOf(a[1].level) || a[0] - b[0]);
  let flags = raised.map(([, rule]) => ({ rule: rule.id, level: rule.level, message: rule.message }));
  const level = flags.length ? flags[0].level : 'self_care';
  // Reassurance never stands beside a warning.
  if (level !== 'self_care') flags = flags.filter((flag) => flag.level !== 'self_care');
  return { level, flags };
}
