"""Who needs a physio's attention first, and why, in plain words.

Each reason carries a weight; a patient's score is the sum. The list puts patients with
warning signs first, the most serious level first, whatever else the others have: an
emergency outranks a patient who merely stopped syncing and skipped sessions. Within a
level, the higher score comes first.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from schemas import vocabulary
from server import insights

WINDOW = timedelta(days=14)  # "lately" means the latest two weeks
RED_FLAG_LOOKBACK = timedelta(days=28)  # when no review has happened yet
QUIET_DAYS = 5  # no sync for this many days is worth a word
LOW_ADHERENCE = 0.5  # under half of the planned sessions
MIN_PLANNED = 2  # fewer planned sessions than this are too few to judge
RISING_MIN = 3  # episodes in the latest two weeks before a rise counts
RISING_RATIO = 1.5

LEVELS = tuple(vocabulary.LEVELS)
WARNING_LEVELS = LEVELS[1:]  # every level but self care
LEVEL_WORDS = {level: vocabulary.label(vocabulary.LEVELS, level).lower() for level in LEVELS}
LEVEL_WEIGHTS = {"see_doctor": 30, "urgent": 45, "emergency": 60}


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    weight: int
    level: str | None = None  # warning signs only: the most serious level among them


@dataclass(frozen=True)
class Attention:
    reasons: tuple = field(default_factory=tuple)

    @property
    def level(self):
        """Return the most serious warning level since the last review, or None."""
        return next((r.level for r in self.reasons if r.level), None)

    @property
    def score(self):
        return sum(r.weight for r in self.reasons)

    @property
    def priority(self):
        return (LEVELS.index(self.level) if self.level else 0, self.score)


def level_of(level):
    """Normalise an assessment level ("see a doctor", "see-doctor", ...) to LEVELS."""
    name = str(level or "self_care").strip().lower().replace("-", "_").replace(" ", "_")
    name = {"selfcare": "self_care", "see_a_doctor": "see_doctor", "doctor": "see_doctor"}.get(
        name, name)
    # An unknown level is shown rather than hidden: a physio can judge it.
    return name if name in LEVELS else "see_doctor"


def flag_level(entry):
    """Return the warning level of an entry, or None when it raised no warning sign."""
    assessment = entry.get("assessment")
    if assessment:
        level = level_of(assessment.get("level"))
        return None if level == "self_care" else level
    return "see_doctor" if entry.get("red_flags") else None


@dataclass
class Tally:
    """What attention weighs of one patient's diary, counted once: the caseload counts it in
    SQL for every patient at once (server/caseload.py), and `tally` from whole entries."""
    recent: int = 0  # cramp episodes in the latest two weeks
    earlier: int = 0  # cramp episodes in the two weeks before
    intense: int = 0  # episodes of high intensity in the latest two weeks
    # level -> entries with warning signs since the last review (without one, four weeks)
    warnings: Counter = field(default_factory=Counter)
    routines: list = field(default_factory=list)  # routine logs, for adherence


def flagged_since(reviewed_at, now):
    """Return the moment after which warning signs are news to the physio."""
    return reviewed_at or now - RED_FLAG_LOOKBACK


def tally(entries, now, since):
    """Count what attention weighs from whole entries, warning signs after `since`."""
    found = Tally()
    for entry in entries:
        moment = insights.when(entry)
        level = flag_level(entry) if moment > since else None
        if level:
            found.warnings[level] += 1
        if entry.get("kind") == "routine":
            found.routines.append(entry)
        if entry.get("kind") != "cramp" or moment > now:
            continue
        if moment > now - WINDOW:
            found.recent += 1
            found.intense += (entry.get("intensity") or 0) >= insights.HIGH_INTENSITY
        elif moment > now - 2 * WINDOW:
            found.earlier += 1
    return found


def red_flags(warnings):
    """Reason on entries with warning signs since the last review: a Counter of their levels."""
    n = sum(warnings.values())
    if not n:
        return None
    worst = max(warnings, key=LEVELS.index)
    text = (f"{n} {'entry' if n == 1 else 'entries'} with warning signs since the last review "
            f"(most serious: {LEVEL_WORDS[worst]})")
    return Reason("red_flags", text, LEVEL_WEIGHTS[worst] + min(20, 5 * (n - 1)), worst)


def rising(recent, earlier):
    """Reason on more episodes in the latest two weeks than in the two before."""
    if recent < RISING_MIN or recent < RISING_RATIO * earlier:
        return None
    text = (f"Episodes are rising: {recent} in the latest two weeks against {earlier} "
            "in the two weeks before")
    return Reason("rising_frequency", text, 20 + min(10, recent - earlier))


def high_intensity(n):
    """Reason on episodes of intensity 7 or more in the latest two weeks."""
    if not n:
        return None
    text = (f"{n} {'episode' if n == 1 else 'episodes'} of intensity "
            f"{insights.HIGH_INTENSITY} or more in the latest two weeks")
    return Reason("high_intensity", text, min(30, 10 * n))


def quiet(last_sync, now):
    """Reason on a patient whose devices have sent nothing for several days."""
    if last_sync is None:
        return Reason("no_sync", "Has not synced any diary data yet", 5)
    idle = (now - last_sync).days
    if idle < QUIET_DAYS:
        return None
    weight = min(20, 10 + idle - QUIET_DAYS)
    return Reason("no_sync", f"No diary data synced for {idle} days", weight)


def low_adherence(entries, assignments, now):
    """Reason on each assignment followed for less than half of its planned sessions."""
    today = now.date()
    start = (now - WINDOW).date() + timedelta(days=1)
    reasons = []
    for assignment in assignments:
        done, planned = insights.adherence(entries, assignment, start, today)
        if planned < MIN_PLANNED or done >= LOW_ADHERENCE * planned:
            continue
        share = insights.percent(done, planned)
        text = (f"Low adherence to {assignment.get('title') or 'an assigned programme'}: "
                f"{done:g} of {planned:g} planned sessions lately ({share}%)")
        reasons.append(Reason("low_adherence", text, 15 + round((LOW_ADHERENCE - done / planned)
                                                               * 30)))
    return reasons


def assess(entries, *, now, reviewed_at=None, **given):
    """Weigh one patient's diary (whole entries) and return every reason for attention."""
    return weigh(tally(entries, now, flagged_since(reviewed_at, now)), now=now, **given)


def weigh(counted, *, now, last_sync=None, assignments=()):
    """Weigh one patient's Tally and return every reason for attention, heaviest first."""
    found = [red_flags(counted.warnings), rising(counted.recent, counted.earlier),
             high_intensity(counted.intense), quiet(last_sync, now),
             *low_adherence(counted.routines, assignments, now)]
    reasons = sorted((r for r in found if r), key=lambda r: -r.weight)
    return Attention(tuple(reasons))


def rank(patients):
    """Sort (patient, Attention) pairs: worst warning level, then score, then name."""
    def key(pair):
        tier, score = pair[1].priority
        return (-tier, -score, str(name_of(pair[0])).lower())
    return sorted(patients, key=key)


def name_of(patient):
    """Return a patient's display name from a dict or an object."""
    if isinstance(patient, dict):
        return patient.get("display_name", "")
    return getattr(patient, "display_name", "")
