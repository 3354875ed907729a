"""Chart data from a person's diary: plain series a physio reads at a glance.

Entries are plain dicts shaped like the wire entry data (`kind`, `occurred_at` as ISO 8601
with an offset, and the fields of their kind). Days and weeks are the person's own: an
entry counts on the calendar day of its own offset, so a cramp at 23:30 in Lisbon is not
moved to the next day by a server in another zone. Weeks start on Monday.
"""

import math
from collections import Counter
from datetime import datetime, timedelta

HIGH_INTENSITY = 7
DEFAULT_TARGET_ML = 1200  # about six to eight glasses: the everyday baseline
COMPARE_DAYS = 14  # before/after compares two weeks with two weeks


def when(entry):
    """Return the entry's moment as an aware datetime."""
    value = entry["occurred_at"]
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def day(entry):
    """Return the calendar day of the entry in its own offset."""
    return when(entry).date()


def monday(value):
    """Return the Monday that starts the week holding `value`."""
    return value - timedelta(days=value.weekday())


def week_starts(start, end):
    """Return the Mondays of every week that overlaps start..end (inclusive)."""
    first, weeks = monday(start), []
    while first <= end:
        weeks.append(first)
        first += timedelta(days=7)
    return weeks


def days(start, end):
    """Return every date from start to end inclusive."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def within(entries, start, end, kind=None):
    """Select entries of `kind` (any when None) whose day falls in start..end inclusive."""
    return [e for e in entries
            if (kind is None or e.get("kind") == kind) and start <= day(e) <= end]


def cramps(entries, start, end):
    """Select the cramp episodes in start..end."""
    return within(entries, start, end, "cramp")


def episodes_per_week(entries, start, end):
    """Count episodes per week, with their mean and highest intensity."""
    by_week = {week: [] for week in week_starts(start, end)}
    for entry in cramps(entries, start, end):
        by_week[monday(day(entry))].append(entry.get("intensity"))
    series = []
    for week, scores in by_week.items():
        known = [s for s in scores if s is not None]
        series.append({
            "week": week.isoformat(),
            "episodes": len(scores),
            "mean_intensity": round(sum(known) / len(known), 1) if known else None,
            "max_intensity": max(known) if known else None,
            "high_intensity": sum(1 for s in known if s >= HIGH_INTENSITY),
        })
    return series


def episodes_by(entries, start, end, field):
    """Count episodes by one field (muscle, context, side), most frequent first."""
    counts = Counter(e.get(field) or "other" for e in cramps(entries, start, end))
    return [{"value": value, "episodes": n}
            for value, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def night_vs_exercise(entries, start, end):
    """Count night and exercise episodes per week, side by side."""
    by_week = {week: Counter() for week in week_starts(start, end)}
    for entry in cramps(entries, start, end):
        by_week[monday(day(entry))][entry.get("context")] += 1
    return [{"week": week.isoformat(), "night": c["night"], "exercise": c["exercise"]}
            for week, c in by_week.items()]


def calendar_measure(entries, target_ml=DEFAULT_TARGET_ML):
    """Return a measure of a date: (logged ml on that calendar day, a fixed target)."""
    totals = Counter()
    for entry in entries:
        if entry.get("kind") == "hydration":
            totals[day(entry)] += entry.get("volume_ml") or 0
    return lambda d: (totals[d], target_ml)


def hydration_per_day(entries, start, end, target_ml=DEFAULT_TARGET_ML, measure=None):
    """Give each day's drinks against the day's target.

    measure(date) -> (intake_ml, target_ml) lets the caller apply the person's own hydration
    rules (their day boundaries, what counts, exercise allowances); the default sums the
    calendar day's drinks against a fixed target.
    """
    measure = measure or calendar_measure(entries, target_ml)
    series = []
    for d in days(start, end):
        volume, target = measure(d)
        series.append({"date": d.isoformat(), "volume_ml": volume, "target_ml": target,
                       "met": volume >= target})
    return series


def session_credit(entry):
    """Score one routine log: a finished session counts 1, a partial one its share."""
    total = entry.get("total_steps") or 0
    if total <= 0:
        return 0.0
    return min(1.0, (entry.get("completed_steps") or 0) / total)


def active_days(assignment, start, end):
    """Count the days of start..end on which the assignment was running."""
    first = max(start, assignment["start_date"])
    last = min(end, assignment.get("end_date") or end)
    return max(0, (last - first).days + 1)


def adherence(entries, assignment, start, end):
    """Return (sessions done, sessions planned) for one assignment over start..end.

    A programme's assignment lists its `phases`, each shaped like an assignment of its own
    (start_date, end_date, routines, sessions_per_week); a routine's is its one phase.
    """
    done = planned = 0.0
    for phase in assignment.get("phases") or [assignment]:
        slugs = set(phase["routines"])
        first = max(start, phase["start_date"])
        last = min(end, phase.get("end_date") or end)
        # fsum: the same sessions give the same total in whatever order they were read.
        done += math.fsum(session_credit(e) for e in within(entries, first, last, "routine")
                          if e.get("routine") in slugs)
        planned += phase["sessions_per_week"] * active_days(phase, start, end) / 7
    return round(done, 1), round(planned, 1)


def adherence_per_week(entries, assignments, start, end):
    """Sum sessions done and planned per week over every assignment."""
    series = []
    for week in week_starts(start, end):
        first, last = max(week, start), min(week + timedelta(days=6), end)
        done = planned = 0.0
        for assignment in assignments:
            d, p = adherence(entries, assignment, first, last)
            done, planned = done + d, planned + p
        series.append({"week": week.isoformat(), "done": round(done, 1),
                       "planned": round(planned, 1), "percent": percent(done, planned)})
    return series


def percent(part, whole):
    """Return part as a whole percentage of whole, or None when whole is nothing."""
    return round(100 * part / whole) if whole else None


def per_week(count, n_days):
    """Scale a count over n_days to a weekly rate."""
    return round(count * 7 / n_days, 1) if n_days else None


def before_after(entries, start_date, today):
    """Compare episodes per week in the two weeks before a start with the latest two weeks."""
    before_from = start_date - timedelta(days=COMPARE_DAYS)
    before_to = start_date - timedelta(days=1)
    before_count = len(cramps(entries, before_from, before_to))
    result = {
        "start_date": start_date.isoformat(),
        "before": {"from": before_from.isoformat(), "to": before_to.isoformat(),
                   "episodes": before_count, "per_week": per_week(before_count, COMPARE_DAYS)},
        "after": None,
        "change_pct": None,
        "complete": False,
    }
    if today < start_date:
        return result
    after_from = max(start_date, today - timedelta(days=COMPARE_DAYS - 1))
    span = (today - after_from).days + 1
    after_count = len(cramps(entries, after_from, today))
    before_rate, after_rate = per_week(before_count, COMPARE_DAYS), per_week(after_count, span)
    result["after"] = {"from": after_from.isoformat(), "to": today.isoformat(),
                       "episodes": after_count, "per_week": after_rate}
    if before_rate:
        result["change_pct"] = round(100 * (after_rate - before_rate) / before_rate)
    # Two full weeks after the start are needed before the comparison means much.
    result["complete"] = span >= COMPARE_DAYS
    return result


def describe_change(comparison):
    """Say in words how episodes per week moved since a start."""
    after, change = comparison["after"], comparison["change_pct"]
    before = comparison["before"]["per_week"]
    if after is None:
        return "Not started yet."
    rates = f"{before:g} a week before, {after['per_week']:g} a week lately"
    if change is None:
        return f"No episodes in the two weeks before the start; {rates}."
    if change == 0:
        words = "Episodes per week have not changed"
    else:
        words = f"Episodes per week {'fell' if change < 0 else 'rose'} by {abs(change)}%"
    suffix = "" if comparison["complete"] else " (fewer than two weeks since the start)"
    return f"{words} ({rates}){suffix}."


def summary(entries, start, end):
    """Return the headline numbers of a period."""
    episodes = cramps(entries, start, end)
    scores = [e["intensity"] for e in episodes if e.get("intensity") is not None]
    drinks = within(entries, start, end, "hydration")
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "episodes": len(episodes),
        "episodes_per_week": per_week(len(episodes), (end - start).days + 1),
        "mean_intensity": round(sum(scores) / len(scores), 1) if scores else None,
        "high_intensity": sum(1 for s in scores if s >= HIGH_INTENSITY),
        "night": sum(1 for e in episodes if e.get("context") == "night"),
        "exercise": sum(1 for e in episodes if e.get("context") == "exercise"),
        "mean_duration_s": mean_duration(episodes),
        "drinks": len(drinks),
        "volume_ml": sum(e.get("volume_ml") or 0 for e in drinks),
        "routines": len(within(entries, start, end, "routine")),
        "last_entry": max(entries, key=when)["occurred_at"] if entries else None,
    }


def mean_duration(episodes):
    """Return the mean timed length of episodes in whole seconds, or None."""
    timed = [e["duration_s"] for e in episodes if e.get("duration_s") is not None]
    return round(sum(timed) / len(timed)) if timed else None


def charts(entries, start, end, *, today=None, target_ml=DEFAULT_TARGET_ML, measure=None,
           assignments=()):
    """Return every chart's series for start..end, and a before/after per assignment."""
    today = today or end
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "episodes_per_week": episodes_per_week(entries, start, end),
        "by_muscle": episodes_by(entries, start, end, "muscle"),
        "by_context": episodes_by(entries, start, end, "context"),
        "night_vs_exercise": night_vs_exercise(entries, start, end),
        "hydration": hydration_per_day(entries, start, end, target_ml, measure),
        "adherence": adherence_per_week(entries, assignments, start, end),
        "before_after": [outcome(entries, a, today) for a in assignments],
    }


def outcome(entries, assignment, today):
    """Return the before/after of one assignment, titled and put in words."""
    comparison = before_after(entries, assignment["start_date"], today)
    return dict(comparison, title=assignment.get("title", ""), text=describe_change(comparison))
