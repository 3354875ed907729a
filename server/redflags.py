"""Check a logged cramp and the person's recent cramps against the red-flag rules.

The rules are data (server/content/redflags.json); each names a test below and a level. An
assessment never diagnoses: it says how soon to get help and why, in the rule's own message.
`profile` is the person's "profile" settings (pregnancy, medicines), or None.

Windows of days are counted back from the entry's own time (or from now, if the entry claims
to be in the future), so an episode logged late is judged against what came before it.
`history` holds the person's other cramp entries (the caller gives the last 28 days; it must
not contain the entry itself). Entries are wire data: dicts with kind, occurred_at and so on.
"""

import bisect
import datetime
import functools

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


class Episodes:
    """An entry and the cramps before it, with counting helpers for windows of days.

    The windows are built on first use: most rules read the entry alone.
    """

    def __init__(self, entry, stamps, earlier, now, moment=None):
        """`stamps` and `earlier` list the other cramps oldest first: POSIX times, and
        (aware datetime, item) pairs."""
        self.entry = entry
        self._history = (stamps, earlier, now, moment)
        self._windows = None

    @property
    def anchor(self):
        """The entry's time, or now if it claims to be in the future."""
        _, _, now, moment = self._history
        return min(moment or parse_time(self.entry["occurred_at"]), now)

    def within(self, days, offset_days=0):
        """Return episodes in the `days` days ending `offset_days` before the anchor."""
        if self._windows is None:
            stamps, earlier, _, _ = self._history
            anchor = self.anchor
            cut = bisect.bisect_right(stamps, anchor.timestamp())
            self._windows = (anchor.timestamp(), stamps[:cut] + [anchor.timestamp()],
                             earlier[:cut] + [(anchor, self.entry)])
        anchor_stamp, stamps, episodes = self._windows
        end = anchor_stamp - offset_days * 86400
        start = end - days * 86400
        return episodes[bisect.bisect_right(stamps, start):bisect.bisect_right(stamps, end)]


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
    seen = {night_of(moment) for moment, item in episodes.within(when["days"])
            if item.get("context") == "night"}
    return len(seen) >= when["nights"]


def _rising(episodes, when, profile):
    """At least `min_recent` episodes in the window and `factor` times the window before it."""
    recent = len(episodes.within(when["days"]))
    before = len(episodes.within(when["days"], offset_days=when["days"]))
    return before >= 1 and recent >= when["min_recent"] and recent >= when["factor"] * before


def _severe_run(episodes, when, profile):
    """At least `count` episodes in the window that were both long and intense."""
    severe = [item for _, item in episodes.within(when["days"])
              if (item.get("intensity") or 0) >= when["min_intensity"]
              and (item.get("duration_s") or 0) >= when["min_duration_s"]]
    return len(severe) >= when["count"]


def _active_days(episodes, when, profile):
    """Cramps of any context on at least `min_days` calendar days in the window (the entry's
    among them). A day is the date of each episode's moment in its own UTC offset, as `nights`
    reads it but without the 12-hour shift: several cramps on one day count once."""
    seen = {moment.date() for moment, _ in episodes.within(when["days"])}
    return len(seen) >= when["min_days"]


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
    """Return {"level", "flags"} for a cramp entry given the person's recent cramps."""
    earlier = sorted(((parse_time(item["occurred_at"]), item) for item in history
                      if item.get("kind") == "cramp"), key=lambda pair: pair[0].timestamp())
    return assess_sorted(entry, [moment.timestamp() for moment, _ in earlier], earlier, now, rules,
                         profile=profile)


def assess_sorted(entry, stamps, earlier, now=None, rules=None, moment=None, patterns=None,
                  profile=None):
    """Like assess(), with the history given oldest first as POSIX times and (moment, item);
    `moment` is the entry's own time and `patterns` whether it is recent enough for pattern
    rules, when the caller knows them already."""
    now = parse_time(now) if now is not None else datetime.datetime.now(datetime.timezone.utc)
    episodes = Episodes(entry, stamps, earlier, now, moment)
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
