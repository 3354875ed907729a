"""Check a logged cramp and the person's recent cramps against the red-flag rules.

The rules are data (server/content/redflags.json); each names a test below and a level. An
assessment never diagnoses: it says how soon to get help and why, in the rule's own message.
`profile` is the person's "profile" settings (pregnancy, medicines), or None.

Windows of days are counted back from the entry's own time (or from now, if the entry claims
to be in the future), so an episode logged late is judged against what came before it.
The person's other cramps are a `Marks` index: each rule about a pattern asks it for counts in
a window, answered by bisection, so judging an entry costs the same whether its four weeks hold
ten cramps or ten thousand. Entries are wire data: dicts with kind, occurred_at and so on.
"""

import bisect
import datetime
import functools
import itertools
import typing

from schemas.content import LEVELS
from server.content import content_hash, read_file

NIGHT_SHIFT = datetime.timedelta(hours=12)
# How far back a caller must look for `history`: the longest window any rule reads.
HISTORY_DAYS = 28
# Rules about a pattern across episodes. A pattern is a reason to act now, so they judge only
# episodes from the last HISTORY_DAYS; an older episode logged late is checked for its own
# warning signs, not for a pattern long past.
PATTERNS = frozenset({"nights", "rising", "severe_run", "active_days"})


def judges_patterns(moment, now):
    """Tell whether an episode at `moment` is recent enough for the pattern rules."""
    return now.timestamp() - moment.timestamp() <= HISTORY_DAYS * 86400


def parse_time(value):
    """Return an aware datetime from an ISO 8601 string (UTC when it has no offset)."""
    moment = value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def night_of(moment):
    """Return the date of the evening a night episode belongs to (02:00 counts as the night before)."""
    return (moment - NIGHT_SHIFT).date()


DAY_S = 86400
NIGHT_SHIFT_S = 12 * 3600
# A UTC offset is under a day: a window's episodes fall on calendar days at most this far out.
OFFSET_BOUND_S = DAY_S


class Mark(typing.NamedTuple):
    """What the pattern rules read of one cramp: its time, its calendar day and night (day
    numbers since 1970 in its own UTC offset), whether it was at night, and how hard it was."""

    stamp: float
    day: int
    night: int
    at_night: bool
    intensity: int
    duration_s: int


def mark_of(item, moment=None):
    """Return the Mark of a cramp entry (wire data), at `moment` if given."""
    moment = moment or parse_time(item["occurred_at"])
    stamp = moment.timestamp()
    local = stamp + moment.utcoffset().total_seconds()
    return Mark(stamp, int(local // DAY_S), int((local - NIGHT_SHIFT_S) // DAY_S),
                item.get("context") == "night", item.get("intensity") or 0,
                item.get("duration_s") or 0)


class Marks:
    """The person's cramps, indexed for counting in windows of time (the window index).

    Sorted times of every cramp; per calendar day and per night, the sorted times of the
    cramps on it; and, for each bar a rule sets for a severe cramp, the sorted times of the
    cramps that clear it. Each count is a bisection or a few: never a walk over the window.
    """

    def __init__(self, items=()):
        self.by_key = {}
        self.stamps = []
        # Day (or night) number -> sorted times of its cramps; and the sorted numbers that have any.
        self.days, self.day_numbers = {}, []
        self.nights, self.night_numbers = {}, []
        self.severe = {}
        for key, mark in items:
            self.add(key, mark)

    def extend(self, items):
        """Add (key, Mark) pairs, oldest first for speed (any order is right)."""
        for key, mark in items:
            self.add(key, mark)

    def __contains__(self, key):
        return key in self.by_key

    def __len__(self):
        return len(self.by_key)

    def add(self, key, mark):
        """Count a cramp in later entries' windows (replacing the one under this key)."""
        self.remove(key)
        self.by_key[key] = mark
        bisect.insort(self.stamps, mark.stamp)
        _file(self.days, self.day_numbers, mark.day, mark.stamp)
        if mark.at_night:
            _file(self.nights, self.night_numbers, mark.night, mark.stamp)
        for (intensity, duration_s), stamps in self.severe.items():
            if mark.intensity >= intensity and mark.duration_s >= duration_s:
                bisect.insort(stamps, mark.stamp)

    def remove(self, key):
        """Stop counting a cramp that was changed or deleted."""
        mark = self.by_key.pop(key, None)
        if mark is None:
            return
        _discard(self.stamps, mark.stamp)
        _unfile(self.days, self.day_numbers, mark.day, mark.stamp)
        if mark.at_night:
            _unfile(self.nights, self.night_numbers, mark.night, mark.stamp)
        for (intensity, duration_s), stamps in self.severe.items():
            if mark.intensity >= intensity and mark.duration_s >= duration_s:
                _discard(stamps, mark.stamp)

    def count(self, start, end, stamps=None):
        """Return how many cramps fall in (start, end]."""
        stamps = self.stamps if stamps is None else stamps
        return bisect.bisect_right(stamps, end) - bisect.bisect_right(stamps, start)

    def count_severe(self, start, end, intensity, duration_s):
        """Return how many cramps at least this intense and this long fall in (start, end]."""
        stamps = self.severe.get((intensity, duration_s))
        if stamps is None:
            stamps = self.severe[(intensity, duration_s)] = sorted(
                mark.stamp for mark in self.by_key.values()
                if mark.intensity >= intensity and mark.duration_s >= duration_s)
        return self.count(start, end, stamps)

    def distinct(self, nights, start, end, known):
        """Return how many days (or, with `nights`, nights) have a cramp in (start, end],
        counting the day number `known` (the entry's own, or None) as having one.

        A day well inside the window has all of its cramps inside it, whatever their offsets:
        those are counted from the sorted day numbers by bisection; only the few days at each
        edge are looked at cramp by cramp.
        """
        table, numbers = (self.nights, self.night_numbers) if nights else (self.days, self.day_numbers)
        shift = NIGHT_SHIFT_S if nights else 0
        first = int((start - OFFSET_BOUND_S - shift) // DAY_S)
        last = int((end + OFFSET_BOUND_S - shift) // DAY_S)
        inner_low = -int((shift - OFFSET_BOUND_S - start) // DAY_S)  # ceil((start - shift + B) / DAY)
        inner_high = int((end - shift - OFFSET_BOUND_S) // DAY_S) - 1
        if inner_low > inner_high:
            inner_low, inner_high = last + 1, last
        found = bisect.bisect_right(numbers, inner_high) - bisect.bisect_left(numbers, inner_low)
        edges = itertools.chain(range(first, min(inner_low, last + 1)),
                                range(max(inner_high + 1, first), last + 1))
        seen = {day for day in edges if table.get(day) and self.count(start, end, table[day])}
        found += len(seen)
        if known is not None and known not in seen and not (inner_low <= known <= inner_high
                                                            and table.get(known)):
            found += 1
        return found


def _file(table, numbers, day, stamp):
    """Add a cramp's time under its day (or night), noting the day when it is new."""
    stamps = table.get(day)
    if stamps is None:
        stamps = table[day] = []
        bisect.insort(numbers, day)
    bisect.insort(stamps, stamp)


def _unfile(table, numbers, day, stamp):
    stamps = table[day]
    _discard(stamps, stamp)
    if not stamps:
        del table[day]
        _discard(numbers, day)


def _discard(stamps, stamp):
    """Remove one occurrence of `stamp` from a sorted list."""
    del stamps[bisect.bisect_left(stamps, stamp)]


class Episodes:
    """An entry and the person's other cramps (a Marks index without the entry), judged at
    the entry's own time: the windows of the rules end there and include the entry itself."""

    def __init__(self, entry, marks, now, moment=None):
        self.entry = entry
        self.marks = marks
        moment = moment or parse_time(entry["occurred_at"])
        # An entry that claims to be in the future is judged as of now.
        self.anchor = min(moment, now)
        self._own = None

    @property
    def own(self):
        """The entry's own Mark: only the pattern rules read it."""
        if self._own is None:
            self._own = mark_of(self.entry, self.anchor)
        return self._own

    def window(self, days, offset_days=0):
        """Return (start, end] of the `days` days ending `offset_days` before the anchor."""
        end = self.own.stamp - offset_days * DAY_S
        return end - days * DAY_S, end

    def _mine(self, start, end):
        return start < self.own.stamp <= end

    def count(self, days, offset_days=0):
        """Return how many episodes, this one included, fall in the window."""
        start, end = self.window(days, offset_days)
        return self.marks.count(start, end) + self._mine(start, end)

    def count_severe(self, days, intensity, duration_s):
        start, end = self.window(days)
        own = self.own.intensity >= intensity and self.own.duration_s >= duration_s
        return self.marks.count_severe(start, end, intensity, duration_s) + own

    def nights(self, days):
        """Return how many nights in the window had a night cramp (this one counts if it is)."""
        start, end = self.window(days)
        return self.marks.distinct(True, start, end, self.own.night if self.own.at_night else None)

    def days(self, days):
        """Return how many calendar days in the window had a cramp, this one's day among them."""
        start, end = self.window(days)
        return self.marks.distinct(False, start, end, self.own.day)


def _signs(episodes, when, profile):
    """Every part of the condition holds for this episode and profile."""
    entry = episodes.entry
    ticked = set(entry.get("red_flags") or ())
    triggers = set(entry.get("triggers") or ())
    context = entry.get("context")
    return (("any" not in when or not ticked.isdisjoint(when["any"]))
            and ticked.issuperset(when.get("all", ()))
            and ("contexts" not in when or context in when["contexts"])
            and context not in when.get("except_contexts", ())
            and ("muscles" not in when or entry.get("muscle") in when["muscles"])
            and ("sides" not in when or entry.get("side") in when["sides"])
            and ("triggers" not in when or not triggers.isdisjoint(when["triggers"]))
            and (not when.get("pregnant") or bool(profile.get("pregnant")) or "pregnancy" in triggers)
            and ("medicines" not in when
                 or not set(profile.get("medicines") or ()).isdisjoint(when["medicines"])))


def _new_prescription(episodes, when, profile):
    """Tagged as a medicine change, or the profile's newest medicine started in the `days`
    days up to the episode's own calendar day."""
    if "medication_change" in (episodes.entry.get("triggers") or ()):
        return True
    started = profile.get("medicine_started_on")
    if not started:
        return False
    day = parse_time(episodes.entry["occurred_at"]).date()
    return 0 <= (day - datetime.date.fromisoformat(started)).days <= when["days"]


def _duration_over(episodes, when, profile):
    """This episode lasted longer than the limit."""
    return (episodes.entry.get("duration_s") or 0) > when["seconds"]


def _nights(episodes, when, profile):
    """A night cramp, with night cramps on at least `nights` nights in the window."""
    if episodes.entry.get("context") != "night":
        return False
    return episodes.nights(when["days"]) >= when["nights"]


def _rising(episodes, when, profile):
    """At least `min_recent` episodes in the window and `factor` times the window before it."""
    recent = episodes.count(when["days"])
    before = episodes.count(when["days"], offset_days=when["days"])
    return before >= 1 and recent >= when["min_recent"] and recent >= when["factor"] * before


def _severe_run(episodes, when, profile):
    """At least `count` episodes in the window that were both long and intense."""
    severe = episodes.count_severe(when["days"], when["min_intensity"], when["min_duration_s"])
    return severe >= when["count"]


def _active_days(episodes, when, profile):
    """Cramps of any context on at least `min_days` calendar days in the window (the entry's
    among them). A day is the date of each episode's moment in its own UTC offset, as `nights`
    reads it but without the 12-hour shift: several cramps on one day count once."""
    return episodes.days(when["days"]) >= when["min_days"]


TESTS = {
    "signs": _signs,
    "new_prescription": _new_prescription,
    "duration_over": _duration_over,
    "nights": _nights,
    "rising": _rising,
    "severe_run": _severe_run,
    "active_days": _active_days,
}


@functools.lru_cache(maxsize=1)
def default_rules():
    """Return the rules from the catalogue, read once on first use."""
    return tuple(read_file("redflags"))


def _prepare(rules):
    """Return the rules as (order, test, condition, flag) in three groups: those that need a
    ticked sign, the others about the episode alone, and patterns across episodes."""
    groups = {"single": [], "codes": [], "pattern": []}
    for order, rule in enumerate(rules):
        when = rule["when"]
        group = ("pattern" if when["type"] in PATTERNS
                 else "codes" if when.get("any") or when.get("all") else "single")
        groups[group].append((order, TESTS[when["type"]], when, {
            "rule": rule["id"], "level": rule["level"], "message": rule["message"]}))
    return groups


@functools.lru_cache(maxsize=1)
def _default_prepared():
    return _prepare(default_rules())


@functools.lru_cache(maxsize=1)
def concerns():
    """Return {rule id: the possible cause it names for a clinician} (never shown to the person)."""
    return {rule["id"]: rule["concern"] for rule in default_rules() if rule.get("concern")}


@functools.lru_cache(maxsize=1)
def rule_set():
    """Return the rules as the app evaluates them offline (pwa/js/triage.js), with a version."""
    rules = [{key: rule[key] for key in ("id", "level", "message", "when")}
             for rule in default_rules()]
    return {"version": content_hash(rules), "history_days": HISTORY_DAYS, "rules": rules}


def assess(entry, history, now=None, rules=None, profile=None):
    """Return {"level", "flags"} for a cramp entry given the person's other cramps."""
    marks = Marks((index, mark_of(item)) for index, item in enumerate(history)
                  if item.get("kind") == "cramp")
    return assess_marks(entry, marks, now, rules, profile=profile)


def assess_marks(entry, marks, now=None, rules=None, moment=None, patterns=None, profile=None):
    """Like assess(), with the person's other cramps as a Marks index (without this entry);
    `moment` is the entry's own time and `patterns` whether it is recent enough for pattern
    rules, when the caller knows them already."""
    now = parse_time(now) if now is not None else datetime.datetime.now(datetime.timezone.utc)
    episodes = Episodes(entry, marks, now, moment)
    if patterns is None:
        patterns = judges_patterns(episodes.anchor, now)
    # Rules that cannot fire are not asked: no pattern for an old episode, no signs unticked.
    groups = _default_prepared() if rules is None else _prepare(rules)
    asked = groups["single"]
    if entry.get("red_flags"):
        asked = asked + groups["codes"]
    if patterns:
        asked = asked + groups["pattern"]
    profile = profile or {}
    raised = [(order, flag) for order, test, when, flag in asked if test(episodes, when, profile)]
    # Most serious first; among equals, in the catalogue's order.
    raised.sort(key=lambda pair: (-LEVELS.index(pair[1]["level"]), pair[0]))
    flags = [dict(flag) for _, flag in raised]
    level = flags[0]["level"] if flags else "self_care"
    if level != "self_care":
        # Reassurance never stands beside a warning.
        flags = [flag for flag in flags if flag["level"] != "self_care"]
    return {"level": level, "flags": flags}
