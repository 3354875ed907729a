"""Daily hydration: the target, what counts as intake, the day so far and the reminder text.

Entries are dicts shaped like the wire entry data (`kind`, `occurred_at` with an offset, and
`volume_ml`/`drink` for drinks, `duration_s` for routines, `context` for cramps); the caller
passes the person's live (not deleted) entries. Settings are the hydration settings document.

The target: a base (`baseline_ml`, 1.2 litres by default from UK guidance, or body weight times
`per_kg_ml` when the person chooses that rule), plus 500 ml on a hot day, plus an allowance for
exercise of 500 ml an hour (750 ml in hot weather). Sweat losses during exercise commonly run at
0.5-2 litres an hour and rise with heat (Sawka et al., ACSM position stand "Exercise and fluid
replacement", Med Sci Sports Exerc 2007;39:377-390); the allowance sits at the low end because
it is a habit aid, not a replacement plan. Exercise is a routine logged that day (its duration),
a workout started that day (its planned length), or, when neither is there, a cramp logged in
an exercise context (counted as one 30-minute session).

What counts as intake (DRINK_SHARE): water, electrolyte drinks, oral rehydration solution,
pickle juice, tea, coffee and other drinks count in full. Tea and coffee in normal amounts
hydrate about as well as water (Killer et al., PLoS One 2014;9:e84154; Maughan et al., Am J Clin
Nutr 2016;103:717-723), though advice for people with cramps is to keep coffee moderate.
Electrolyte drinks and ORS are retained better than water, but are counted at their volume, not
more, so the number stays one the person can check against their glass. Alcohol counts for
nothing: its strength is not recorded, wine and spirits leave a net fluid loss, and the advice
for people with cramps is to limit it.

The ceiling (DOMAIN.md "Fluids: the ceiling as well as the floor"): drinking far beyond thirst
risks exercise-associated hyponatraemia (Hew-Butler et al., Clin J Sport Med 2015). The base
target is at most 4 litres (over three times the UK 1.2 litres, and the most the per-kg rule
gives: 100 kg at 35 ml/kg, plus 500 ml of heat), exercise counts at most 6 hours a day, and the
whole day at most 6 litres. The planned pace never rises by more than 800 ml in any hour: a
plan that would runs late instead, and a reminder never names a drink that takes the past
hour's drinking over 800 ml. A doctor's fluid limit caps the target and stops reminders.
"""

from datetime import datetime, timedelta

from schemas.hydration import hydration_settings_schema, reminder_payload_schema
from server import experiment, reminders
from server.models.diary import Entry, Setting
from server.reminders import UTC, instant

DRINK_SHARE = {"alcohol": 0.0}
HOT_WEATHER_ML = 500
EXERCISE_ML_PER_HOUR = 500
HOT_EXERCISE_ML_PER_HOUR = 750
ASSUMED_SESSION = timedelta(minutes=30)
MAX_SESSION = timedelta(hours=6)
MAX_WEIGHT_KG = 100
MAX_BASE_ML = 4000
MAX_EXERCISE = timedelta(hours=6)
MAX_TARGET_ML = 6000
MAX_ML_PER_HOUR = 800
HOUR = timedelta(hours=1)
NIGHT_CRAMPS_WITHIN = timedelta(days=90)
# Within this of the planned pace the person counts as on track: no reminder for half a glass.
ON_TRACK_MARGIN_ML = 150
GLASS_ML = {"ml": 250, "floz": 237}
ML_PER_FLOZ = 29.5735  # US fluid ounce, the one drink labels in fl oz use


def resolved(settings):
    """Return the settings with every default filled in."""
    return {**hydration_settings_schema.load({}), **(settings or {})}


def within(entries, day, kind):
    """Return the entries of one kind that occurred during the day."""
    return [
        entry
        for entry in entries
        if entry.get("kind") == kind and day.start <= instant(entry["occurred_at"]) < day.end
    ]


def counted_ml(entry):
    """Return how many millilitres of a drink count towards the target."""
    return round(entry["volume_ml"] * DRINK_SHARE.get(entry.get("drink"), 1.0))


def intake(entries, day):
    """Return the millilitres counted towards the target during the day."""
    return sum(counted_ml(entry) for entry in within(entries, day, "hydration"))


def base_ml(settings):
    """Return the day's target before exercise."""
    if settings["per_kg_ml"] is not None and settings["body_weight_kg"] is not None:
        base = min(settings["body_weight_kg"], MAX_WEIGHT_KG) * settings["per_kg_ml"]
    else:
        base = settings["baseline_ml"]
    return min(base + (HOT_WEATHER_ML if settings["hot_weather"] else 0), MAX_BASE_ML)


def sessions(settings, entries, day):
    """Return the day's exercise as (start, length) pairs."""
    found = []
    for entry in within(entries, day, "routine"):
        length = min(timedelta(seconds=entry.get("duration_s") or 0), MAX_SESSION)
        found.append((instant(entry["occurred_at"]) - length, length))
    window = reminders.workout_window(settings)
    if window and day.start <= window[0] < day.end:
        found.append((window[0], window[1] - window[0]))
    if not found:
        cramps = [e for e in within(entries, day, "cramp") if e.get("context") == "exercise"]
        if cramps:
            first = min(instant(entry["occurred_at"]) for entry in cramps)
            found.append((first - ASSUMED_SESSION, ASSUMED_SESSION))
    return found


def exercise_ml(settings, length):
    """Return the allowance for a length of exercise (at most 6 hours of it count)."""
    rate = HOT_EXERCISE_ML_PER_HOUR if settings["hot_weather"] else EXERCISE_ML_PER_HOUR
    return rate * min(length, MAX_EXERCISE) / HOUR


def ceiling_ml(settings):
    """Return the most the day's target may be: the doctor's limit, else 6 litres."""
    limit = settings["fluid_limit_ml"]
    return MAX_TARGET_ML if limit is None else min(limit, MAX_TARGET_ML)


def target_ml(settings, entries, day, at):
    """Return the day's target as known at `at`: exercise counts once it has started."""
    started = sum((length for start, length in sessions(settings, entries, day) if start <= at), timedelta(0))
    return min(round_ml(base_ml(settings) + exercise_ml(settings, started)), ceiling_ml(settings))


def planned_ml(settings, entries, day, at):
    """Return the day's plan by `at` before the hourly ceiling: the base at an even pace, plus exercise as it runs."""
    done = sum(
        (min(max(at - start, timedelta(0)), length) for start, length in sessions(settings, entries, day)),
        timedelta(0),
    )
    planned = base_ml(settings) * reminders.pace(settings, day, at) + exercise_ml(settings, done)
    return min(planned, target_ml(settings, entries, day, at))


def expected_ml(settings, entries, day, at):
    """Return how much the person would have drunk by `at` if on pace, never over 800 ml an hour.

    The plan is piecewise linear, so the steepest it may be (the least over all earlier moments
    of the plan there plus 800 ml an hour since) is found among the moments its slope changes.
    """
    turns = {day.start, day.wake, reminders.pace_end(settings, day)}
    for start, length in sessions(settings, entries, day):
        turns |= {start, start + length}
    return min(
        [planned_ml(settings, entries, day, at)]
        + [planned_ml(settings, entries, day, turn) + MAX_ML_PER_HOUR * ((at - turn) / HOUR)
           for turn in turns if day.start <= turn <= at]
    )


def round_ml(value):
    """Round to the nearest 10 ml: finer precision would be false."""
    return int(round(value / 10) * 10)


def daily_target(settings, entries, now):
    """Return the target in millilitres for the day that contains `now`."""
    settings = resolved(settings)
    return target_ml(settings, entries, reminders.day_of(settings, now), now)


def drunk_in_hour_before(entries, at):
    """Return the millilitres drunk in the hour up to `at`, whichever day they belong to."""
    return sum(
        entry["volume_ml"]
        for entry in entries
        if entry.get("kind") == "hydration" and at - HOUR < instant(entry["occurred_at"]) <= at
    )


def next_drink_ml(settings, entries, at):
    """Return the drink a reminder at `at` names: a glass, less if the past hour is near 800 ml."""
    room = MAX_ML_PER_HOUR - drunk_in_hour_before(entries, at)
    # Down to whole 10 ml, never to the nearest: 15 ml of room must not become 20.
    return max(0, min(GLASS_ML[settings["units"]], room // 10 * 10))


def behind(settings, entries):
    """Return a test of whether, with the drinks logged so far, an instant finds the person behind."""

    def test(at):
        day = reminders.day_of(settings, at)
        shortfall = expected_ml(settings, entries, day, at) - intake(entries, day)
        return shortfall >= ON_TRACK_MARGIN_ML and next_drink_ml(settings, entries, at) >= ON_TRACK_MARGIN_ML

    return test


def reminding(settings):
    """Tell whether reminders go out: switched on, and no doctor's fluid limit.

    A limit is a ceiling, not a goal: the app cannot see what else counts against it (soup,
    fruit, water with tablets), so any nudge to drink could push the person past it.
    """
    return settings["reminders_enabled"] and settings["fluid_limit_ml"] is None


def next_reminder(settings, entries, now, last_sent_at=None):
    """Return the next slot a reminder would go out if nothing more is drunk, or None."""
    settings = resolved(settings)
    if not reminding(settings):
        return None
    return reminders.next_slot(settings, now, behind(settings, entries), last_sent_at)


def due_reminder(settings, entries, now, last_sent_at=None):
    """Return the slot whose reminder should go out now, or None."""
    settings = resolved(settings)
    if not reminding(settings):
        return None
    return reminders.due_slot(settings, now, behind(settings, entries), last_sent_at)


def today(settings, entries, now):
    """Return the day so far: target, intake, what remains and the next reminder."""
    settings = resolved(settings)
    day = reminders.day_of(settings, now)
    target = target_ml(settings, entries, day, now)
    drunk = intake(entries, day)
    upcoming = next_reminder(settings, entries, now)
    return {
        "target_ml": target,
        "intake_ml": drunk,
        "remaining_ml": max(0, target - drunk),
        "next_reminder_at": upcoming.at if upcoming else None,
    }


def logged_night_cramps(user, now):
    """Tell whether the person logged a cramp at night in the last 90 days."""
    start, end = ((now + shift).astimezone(UTC).replace(tzinfo=None)
                  for shift in (-NIGHT_CRAMPS_WITHIN, timedelta(days=1)))
    cramps = (Entry
              .live_for(user)
              .select(Entry.data)
              .where((Entry.kind == "cramp") & Entry.occurred_at.between(start, end)))
    return any(row.data.get("context") == "night" for row in cramps.iterator())


def settings_of(user, now=None):
    """Return the person's stored hydration settings, or {} when they kept the defaults.

    The evening taper is on for anyone with night cramps who has not chosen: fewer drinks late
    in the evening mean fewer wake-ups to pass urine, and every wake-up is a chance to cramp.
    A self-experiment on the taper or the drinks target sets them by its block of the day.
    """
    row = (Setting
           .select(Setting.data)
           .where((Setting.user == user) & (Setting.name == "hydration") & (Setting.deleted == False))  # noqa: E712
           .first())
    settings = row.data if row else {}
    now = now or datetime.now(UTC)
    if settings.get("evening_taper") is None and logged_night_cramps(user, now):
        settings = {**settings, "evening_taper": True}
    return experiment.adjusted(settings, experiment.of(user), now)


def entries_near(user, now, before=timedelta(days=2), after=timedelta(days=1)):
    """Return the wire data of the person's live entries from two days before `now` to a day after."""
    start, end = ((now + shift).astimezone(UTC).replace(tzinfo=None) for shift in (-before, after))
    return [row.data for row in Entry.live_for(user).where(Entry.occurred_at.between(start, end))]


def today_for(user, now):
    """Return the day so far for a stored person."""
    return today(settings_of(user, now), entries_near(user, now), now)


def amount(ml, units, label=True):
    """Return a volume as the person reads it, with or without its unit."""
    figure = f"{ml / ML_PER_FLOZ:,.0f}" if units == "floz" else f"{ml:,}"
    if not label:
        return figure
    return figure + (" fl oz" if units == "floz" else " ml")


def reminder_payload(settings, entries, slot, now):
    """Return the JSON document a reminder carries to the person's devices."""
    settings = resolved(settings)
    units = settings["units"]
    day = reminders.day_of(settings, now)
    target = target_ml(settings, entries, day, now)
    drunk = intake(entries, day)
    glass = GLASS_ML[units]
    drink = next_drink_ml(settings, entries, slot.at)
    lead = "Keep sipping through your workout. " if slot.kind == "workout" else ""
    # One drink, never the day's shortfall: a shortfall invites drinking it all at once.
    ask = "Time for a glass" if drink >= glass else "Time for a few sips"
    return reminder_payload_schema.dump({
        "type": "hydration-reminder",
        "slot": slot.key,
        "title": "Time for a drink",
        "body": (
            f"{lead}{ask}: about {amount(drink, units)}. "
            f"{amount(drunk, units, label=False)} of {amount(target, units)} so far today."
        ),
        "tag": "hydration",
        "url": "/",
        "target_ml": target,
        "intake_ml": drunk,
        "remaining_ml": max(0, target - drunk),
        "units": units,
        "sent_at": now,
        "actions": [{"action": "drink", "title": "+" + amount(drink, units), "volume_ml": drink, "drink": "water"}],
    })
