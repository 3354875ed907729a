"""A self-experiment: one habit kept in some blocks of days and left out in the others (an n-of-1
trial), its schedule, the push on the morning a block changes, and the report at the end.

The person picks a habit and a block length (one or two weeks); the app proposes 8 weeks of
blocks in pairs, each pair one block with the habit and one without in a random order, so a
slow drift in the cramps (a season, a new medicine) falls on both kinds alike. The document is
the `experiment` settings, written on the device and synced, so the schedule is known offline.

Habits, what "with" asks, and what is counted (server/patterns.py's Diary):
- evening-stretch: the evening routine before bed; the night cramps after each day.
- drink-target: drinking to the day's target; that day's cramps and the night after. In the
  blocks without it, drink reminders pause and the person drinks to thirst.
- evening-taper: no drinks in the two hours before bed; the night cramps after each day. The
  reminders taper in the blocks with it and do not in the blocks without.

The report compares every day of the blocks with the habit against every day of the blocks
without it, as planned, whether or not the habit was kept that day (an analysis by intention,
as a trial reports), with the same exact test and wording as the patterns. How often the habit
was kept in each kind of block is shown beside it. Nothing is reported while the experiment
runs: looking at the answer as it grows and stopping when it looks good turns chance into a
finding.
"""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from server import patterns, reminders
from server.models.diary import Setting
from server.reminders import GRACE, UTC, WIND_DOWN

HABITS = {
    "evening-stretch": {"title": "Evening stretch",
                        "outcome": "night cramps in the weeks with the evening stretch",
                        "with": "Do the evening calf and hamstring routine before bed.",
                        "without": "Skip the evening routine (stretch a cramp as ever).",
                        "count": "night_cramps", "done": "evening_routine"},
    "drink-target": {"title": "Drinks target",
                     "outcome": "cramps in the weeks drinking to your target",
                     "with": "Reach your drinks target, spread over the day.",
                     "without": "Drink to thirst; drink reminders pause.",
                     "count": "day_and_night", "done": "at_target"},
    "evening-taper": {"title": "Evening taper",
                      "outcome": "night cramps in the weeks with the evening taper",
                      "with": "Finish drinking two hours before bed (sips with medicines or in "
                              "a cramp are fine).",
                      "without": "Drink in the evening as you usually do.",
                      "count": "night_cramps", "done": "tapered"},
}
REMIND_AFTER_WAKING = timedelta(hours=1)
# Kept on a share of days larger by less than this in the blocks with the habit than in those
# without it, and the two kinds of week barely differ in the habit.
ALIKE = 0.25
STEP = timedelta(minutes=30)
TTL = timedelta(hours=12)  # a block's news is still news later that day


def of(user):
    """Return the person's experiment document, or None."""
    row = (Setting
           .select(Setting.data)
           .where((Setting.user == user) & (Setting.name == "experiment")
                  & (Setting.deleted == False))  # noqa: E712
           .first())
    return row.data if row else None


def _date(value):
    return value if isinstance(value, date) else date.fromisoformat(value)


def blocks(experiment):
    """Return the blocks as (kind, first day, day after the last)."""
    start, length = _date(experiment["started_on"]), timedelta(days=experiment["block_days"])
    return [(kind, start + i * length, start + (i + 1) * length)
            for i, kind in enumerate(experiment["blocks"])]


def ends_on(experiment):
    """Return the day after the last block, or the day it was stopped if earlier."""
    planned = blocks(experiment)[-1][2]
    stopped = experiment.get("stopped_on")
    return min(planned, _date(stopped)) if stopped else planned


def block_on(experiment, day):
    """Return the index and kind of the block holding `day`, or None outside the experiment."""
    if experiment is None or day >= ends_on(experiment):
        return None
    for index, (kind, first, after) in enumerate(blocks(experiment)):
        if first <= day < after:
            return index, kind
    return None


def status(experiment, today):
    """Return "running", "stopped" (ended early) or "ended"."""
    if ends_on(experiment) > today:
        return "running"
    stopped = experiment.get("stopped_on")
    return "stopped" if stopped and _date(stopped) < blocks(experiment)[-1][2] else "ended"


def report(experiment, diary, today):
    """Return the experiment's schedule, progress and, once it is over, its comparison."""
    habit = HABITS[experiment["habit"]]
    last = min(ends_on(experiment), today)  # whole days before this one count
    with_days, without_days = [], []
    for kind, first, after in blocks(experiment):
        days = [first + timedelta(days=i) for i in range((min(after, last) - first).days)]
        (with_days if kind == "with" else without_days).extend(days)
    done = getattr(diary, habit["done"])
    state = status(experiment, today)
    current = block_on(experiment, today)
    result = None
    if state != "running":
        result = patterns.compare(habit["title"] + " (self-experiment)", habit["outcome"],
                                  with_days, without_days, getattr(diary, habit["count"]),
                                  ("days in the weeks with it", "days in the weeks without it"),
                                  final=True)
    kept = [sum(map(done, with_days)), len(with_days),
            sum(map(done, without_days)), len(without_days)]
    return {
        "habit": experiment["habit"], "title": habit["title"], "status": state,
        "started_on": _date(experiment["started_on"]), "ends_on": ends_on(experiment),
        "blocks": [{"kind": kind, "start": first, "end": after - timedelta(days=1)}
                   for kind, first, after in blocks(experiment)],
        "current": current[0] if current else None,
        "kept": kept, "note": kept_note(kept),
        "result": result,
    }


def kept_note(kept):
    """Say how often the habit was kept in each kind of block, and when the two are so alike
    that the comparison says little about the habit itself."""
    done, days, done_without, days_without = kept
    if not days or not days_without:
        return None
    note = (f"Kept on {done} of {days} days in the blocks with it, and {done_without} of "
            f"{days_without} in those without.")
    if done / days - done_without / days_without < ALIKE:
        note += (" That is about as often in both, so this compares the weeks more than the "
                 "habit.")
    return note


def _reminder_at(settings, day):
    """Return the first moment from an hour after waking on `day` that is not quiet, or None."""
    waking = reminders.waking_day(settings, day)
    at = waking.wake + REMIND_AFTER_WAKING
    while at < waking.sleep - WIND_DOWN:
        if not reminders.asleep(settings, at) and not reminders.quiet(settings, at):
            return at
        at += STEP
    return None


def due_reminder(experiment, settings, now):
    """Return (key, payload) of the push due now on the morning a block changes or the
    experiment ends, or None. `settings` are the resolved hydration settings (zone, waking
    hours, quiet hours)."""
    if not experiment or not experiment.get("remind", True):
        return None
    if experiment.get("stopped_on"):
        return None
    today = now.astimezone(reminders.zone(settings)).date()
    changes = {first: (index, kind) for index, (kind, first, _) in enumerate(blocks(experiment))
               if index}
    ending = ends_on(experiment)
    if today not in changes and today != ending:
        return None
    at = _reminder_at(settings, today)
    if at is None or not now - GRACE < at <= now:
        return None
    weeks = experiment["block_days"] // 7
    habit = HABITS[experiment["habit"]]
    if today == ending:
        title = "Your experiment is over"
        body = "Open Your patterns to see how the two kinds of week compare."
    else:
        index, kind = changes[today]
        span = f"{weeks} weeks" if weeks > 1 else "a week"
        title = f"Your experiment: block {index + 1} of {len(experiment['blocks'])}, for {span}"
        body = habit[kind]
    return f"experiment/{today.isoformat()}", {
        "type": "experiment-reminder", "slot": f"experiment/{today.isoformat()}",
        "title": title, "body": body, "tag": "experiment", "url": "/#/patterns",
        "sent_at": now.astimezone(UTC).isoformat(), "actions": []}


def adjusted(settings, experiment, now):
    """Return hydration settings as the experiment's block for `now` has them: the taper on
    or off in an evening-taper experiment, reminders paused in a drink-target one's blocks
    without the habit."""
    if not experiment or experiment["habit"] == "evening-stretch":
        return settings
    zone = ZoneInfo(settings.get("timezone") or "UTC")  # stored settings may keep the default
    found = block_on(experiment, now.astimezone(zone).date())
    if found is None:
        return settings
    keep = found[1] == "with"
    if experiment["habit"] == "evening-taper":
        return {**settings, "evening_taper": keep}
    return settings if keep else {**settings, "reminders_enabled": False}

