"""What comes before a person's cramps: a few comparisons declared in advance, each a rate ratio
of cramp episodes per day with an exact 95% interval, put in words that never overclaim.

The method is the exact conditional test for two Poisson rates: given the episodes of both
groups of days together, the share that fell in the first group is binomial, and the
Clopper-Pearson interval of that share turns into an interval for the rate ratio. It needs no
large-sample approximation, so it holds for the small counts of a diary of a few weeks, and
zero counts are allowed.

Comparisons (only these; no field is dredged against every other):
- hydration: days at or above the drinks target against days below it; the outcome is the
  cramps of that day and of the night after it. Only days with a drink logged count.
- exercise: days with a routine logged or a cramp during exercise against the other days; the
  outcome is the night cramps of the night after (the day's own exercise cramps would count
  themselves).
- evening routine: nights after an evening routine was done against nights it was not; the
  outcome is that night's cramps.
- programme: each phase of a programme against the two weeks before it started.
- triggers: the share of episodes that carry each tag, without a ratio.
"""

import math
from datetime import datetime, time, timedelta

from server import insights

ALPHA = 0.05
MIN_DAYS = 7  # in each group of days
MIN_EPISODES = 5  # in both groups together
NIGHT_FROM, NIGHT_TO = time(18), time(12)  # the night after a day: 18:00 to noon the next day
TAPER_HOURS = timedelta(hours=2)  # the evening taper: no drinks in the two hours before bed


def _binomial_tail_at_least(k, n, p):
    """P(X >= k) for X ~ Binomial(n, p), summed in log space."""
    if k <= 0:
        return 1.0
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    return min(1.0, sum(math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                                 + i * log_p + (n - i) * log_q) for i in range(k, n + 1)))


def _solve(function, target):
    """The p in (0, 1) where the increasing `function(p)` reaches `target`, by bisection."""
    low, high = 0.0, 1.0
    for _ in range(80):
        middle = (low + high) / 2
        if function(middle) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def share_interval(k, n, alpha=ALPHA):
    """The Clopper-Pearson interval of a binomial share k of n."""
    lower = 0.0 if k == 0 else _solve(lambda p: _binomial_tail_at_least(k, n, p), alpha / 2)
    upper = 1.0 if k == n else _solve(
        lambda p: _binomial_tail_at_least(k + 1, n, p), 1 - alpha / 2)
    return lower, upper


def rate_ratio(count1, days1, count0, days0, alpha=ALPHA):
    """Return (ratio, lower, upper) of count1/days1 over count0/days0, exact conditional; a
    bound that cannot be known is None (no episodes at all, or none in one group)."""
    total = count1 + count0
    if total == 0:
        return None, None, None
    low, high = share_interval(count1, total, alpha)
    odds = days0 / days1

    def ratio(share):
        return None if share >= 1 else share / (1 - share) * odds

    point = ratio(count1 / total) if count0 else None
    return point, ratio(low), ratio(high)


def words(ratio, lower, upper, outcome, final=False):
    """Put a rate ratio in plain words: fewer or more `outcome`, with its interval, or no clear
    difference when the interval includes 1 ("so far" unless the comparison is `final`).
    Never a cause."""
    if lower is not None and lower <= 1 and (upper is None or upper >= 1):
        top = "many times" if upper is None else f"{upper:.1f} times"
        return (f"No clear difference{'' if final else ' so far'}: {outcome} were anywhere "
                f"from {lower:.1f} to {top} as common.")
    if upper is not None and upper < 1:
        fewer = round(100 * (1 - ratio)) if ratio is not None else 100
        return (f"{fewer}% fewer {outcome} (somewhere between {round(100 * (1 - upper))}% and "
                f"{round(100 * (1 - lower))}% fewer).")
    more = "many times as many" if ratio is None else f"{ratio:.1f} times as many"
    top = "far more" if upper is None else f"{upper:.1f} times"
    return f"{more} {outcome} (somewhere between {lower:.1f} and {top})."


def compare(title, outcome, days1, days0, count, labels, final=False):
    """One comparison: counts over two groups of days, the interval, and the words, or what is
    still missing. `count(day)` gives the outcome for a day; `labels` name the two groups."""
    count1, count0 = sum(map(count, days1)), sum(map(count, days0))
    missing = []
    for days, label in zip((days1, days0), labels):
        if len(days) < MIN_DAYS:
            missing.append(f"{MIN_DAYS - len(days)} more {label}")
    if count1 + count0 < MIN_EPISODES:
        more = MIN_EPISODES - count1 - count0
        missing.append(f"{more} more cramp{'s' if more > 1 else ''}")
    result = {"title": title, "groups": list(labels), "days": [len(days1), len(days0)],
              "episodes": [count1, count0],
              "ratio": None, "lower": None, "upper": None, "clear": False}
    if missing:
        return dict(result, text="Not enough yet: " + " and ".join(missing) + ".")
    ratio, lower, upper = rate_ratio(count1, len(days1), count0, len(days0))
    clear = not (lower is not None and lower <= 1 and (upper is None or upper >= 1))
    return dict(result, ratio=ratio, lower=lower, upper=upper, clear=clear,
                text=words(ratio, lower, upper, outcome, final))


def _night_after(entry, day):
    """Whether a cramp fell in the night after `day` (18:00 to noon the next day)."""
    moment = insights.when(entry).replace(tzinfo=None)
    start = datetime.combine(day, NIGHT_FROM)
    return start <= moment < datetime.combine(day + timedelta(days=1), NIGHT_TO)


def phases(assignments, by_day, today):
    """Each phase of each programme against the two weeks before the programme started."""
    found = []
    for plan in assignments:
        start = plan["start_date"]
        before = [start - timedelta(days=i) for i in range(insights.COMPARE_DAYS, 0, -1)]
        for number, phase in enumerate(plan["phases"], 1):
            last = min(phase["end_date"] or today, today - timedelta(days=1))
            during = [phase["start_date"] + timedelta(days=i)
                      for i in range((last - phase["start_date"]).days + 1)]
            title = plan["title"] + (f", phase {number}" if len(plan["phases"]) > 1 else "")
            found.append(compare(title, "cramps a day than in the two weeks before the start",
                                 during, before, lambda day: len(by_day.get(day, [])),
                                 ("days in this phase", "days before the start")))
    return found


class Diary:
    """A diary's whole days up to `today`, with the outcomes and habits the comparisons and the
    self-experiment (server/experiment.py) count.

    `measure(day) -> (intake_ml, target_ml)` is the person's own drinks rule (insights' calendar
    day against the everyday target by default); `sleep` is their bedtime, "HH:MM"."""

    def __init__(self, entries, today, measure=None, sleep="22:30"):
        self.cramps = [e for e in entries if e.get("kind") == "cramp"]
        first = min((insights.day(e) for e in entries), default=today)
        self.days = [first + timedelta(days=i) for i in range((today - first).days)]  # whole days
        self.by_day = {}
        for entry in self.cramps:
            self.by_day.setdefault(insights.day(entry), []).append(entry)
        measure = measure or insights.calendar_measure(entries)
        self.drinks = {day: measure(day) for day in self.days}
        self.routines, self.drink_times = {}, {}
        for entry in entries:
            if entry.get("kind") == "routine":
                self.routines.setdefault(insights.day(entry), []).append(entry)
            elif entry.get("kind") == "hydration":
                self.drink_times.setdefault(insights.day(entry), []).append(insights.when(entry))
        # An evening routine: one of the catalogue's evening routines, or any logged from 17:00.
        self.evenings = {day for day, done in self.routines.items() if any(
            str(e.get("routine", "")).startswith("evening-") or insights.when(e).hour >= 17
            for e in done)}
        hours, minutes = map(int, sleep.split(":"))
        self.bedtime = time(hours, minutes)

    def night_cramps(self, day):
        """The night cramps of the night after `day`."""
        return sum(1 for e in self.by_day.get(day, []) + self.by_day.get(day + timedelta(days=1), [])
                   if e.get("context") == "night" and _night_after(e, day))

    def day_and_night(self, day):
        """The day's own cramps (not at night) and the night cramps after it."""
        own = sum(1 for e in self.by_day.get(day, []) if e.get("context") != "night")
        return own + self.night_cramps(day)

    def evening_routine(self, day):
        """Whether an evening routine was logged that day."""
        return day in self.evenings

    def at_target(self, day):
        """Whether a drink was logged that day and the drinks reached the target."""
        intake, target = self.drinks.get(day, (0, 0))
        return intake > 0 and intake >= target

    def tapered(self, day):
        """Whether no drink was logged in the two hours before bed (a bedtime after midnight
        belongs to the day before it)."""
        bed = datetime.combine(day + timedelta(days=self.bedtime < NIGHT_TO), self.bedtime)
        late = [moment.replace(tzinfo=None) for on in (day, day + timedelta(days=1))
                for moment in self.drink_times.get(on, [])]
        return not any(bed - TAPER_HOURS <= moment < bed for moment in late)

    def exercised(self, day):
        """Whether a routine or a cramp during exercise was logged that day."""
        return bool(self.routines.get(day)) or any(
            e.get("context") == "exercise" for e in self.by_day.get(day, []))


def patterns(entries, today, *, measure=None, assignments=(), diary=None):
    """Return the declared comparisons for a diary up to `today` (whole days before it).

    `measure` is the person's drinks rule (see Diary), or `diary` one already read;
    `assignments` are plans in insights' shape (care.as_plan): each phase of a programme is
    compared."""
    diary = diary or Diary(entries, today, measure)
    days = diary.days
    logged = [d for d in days if diary.drinks[d][0] > 0]  # a day with no drink logged says nothing
    hydration = compare("Drinks target", "cramps on days at your drinks target and the nights after",
                        [d for d in logged if diary.at_target(d)],
                        [d for d in logged if not diary.at_target(d)], diary.day_and_night,
                        ("days at the target", "days below it"))
    exercise = compare("After exercise", "night cramps after days with exercise",
                       [d for d in days if diary.exercised(d)],
                       [d for d in days if not diary.exercised(d)],
                       diary.night_cramps, ("days with exercise", "rest days"))
    routine = compare("Evening routine", "night cramps after the evening routine",
                      [d for d in days if d in diary.evenings],
                      [d for d in days if d not in diary.evenings],
                      diary.night_cramps, ("evenings with the routine", "evenings without it"))
    return {"comparisons": [hydration, exercise, routine] + phases(assignments, diary.by_day, today),
            "triggers": trigger_shares(diary.cramps),
            "days": len(days), "episodes": len(diary.cramps)}


def trigger_shares(cramps, top=3):
    """The person's most tagged triggers: the share of episodes that carry each."""
    if not cramps:
        return []
    counts = {}
    for entry in cramps:
        for tag in entry.get("triggers") or []:
            counts[tag] = counts.get(tag, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [{"trigger": tag, "episodes": n, "share": round(100 * n / len(cramps))}
            for tag, n in ranked]
