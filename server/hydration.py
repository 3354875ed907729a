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
"""

from datetime import timedelta

from schemas.hydration import hydration_settings_schema, reminder_payload_schema
from server import reminders
from server.models.diary import Entry, Setting
from server.reminders import UTC, instant

DRINK_SHARE = {"alcohol": 0.0}
HOT_WEATHER_ML = 500
EXERCISE_ML_PER_HOUR = 500
HOT_EXERCISE_ML_PER_HOUR = 750
ASSUMED_SESSION = timedelta(minutes=30)
MAX_SESSION = timedelta(hours=6)
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
        base = settings["body_weight_kg"] * settings["per_kg_ml"]
    else:
        base = settings["baseline_ml"]
    return base + (HOT_WEATHER_ML if settings["hot_weather"] else 0)


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
    """Return the allowance for a length of exercise."""
    rate = HOT_EXERCISE_ML_PER_HOUR if settings["hot_weather"] else EXERCISE_ML_PER_HOUR
    return rate * length / timedelta(hours=1)


def target_ml(settings, entries, day, at):
    """Return the day's target as known at `at`: exercise counts once it has started."""
    started = [length for start, length in sessions(settings, entries, day) if start <= at]
    return round_ml(base_ml(settings) + sum(exercise_ml(settings, length) for length in started))


def expected_ml(settings, entries, day, at):
    """Return how much the person would have drunk by `at` if on pace."""
    done = sum(
        (min(max(at - start, timedelta(0)), length) for start, length in sessions(settings, entries, day)),
        timedelta(0),
    )
    planned = base_ml(settings) * reminders.pace(settings, day, at) + exercise_ml(settings, done)
    return min(planned, target_ml(settings, entries, day, at))


def round_ml(value):
    """Round to the nearest 10 ml: finer precision would be false."""
    return int(round(value / 10) * 10)


def daily_target(settings, entries, now):
    """Return the target in millilitres for the day that contains `now`."""
    settings = resolved(settings)
    return target_ml(settings, entries, reminders.day_of(settings, now), now)


def behind(settings, entries):
    """Return a test of whether, with the drinks logged so far, an instant finds the person behind."""

    def test(at):
        day = reminders.day_of(settings, at)
        shortfall = expected_ml(settings, entries, day, at) - intake(entries, day)
        return shortfall >= ON_TRACK_MARGIN_ML

    return test


def next_reminder(settings, entries, now, last_sent_at=None):
    """Return the next slot a reminder would go out if nothing more is drunk, or None."""
    settings = resolved(settings)
    if not settings["reminders_enabled"]:
        return None
    return reminders.next_slot(settings, now, behind(settings, entries), last_sent_at)


def due_reminder(settings, entries, now, last_sent_at=None):
    """Return the slot whose reminder should go out now, or None."""
    settings = resolved(settings)
    if not settings["reminders_enabled"]:
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


def settings_of(user):
    """Return the person's stored hydration settings, or {} when they kept the defaults."""
    row = (Setting
           .select(Setting.data)
           .where((Setting.user == user) & (Setting.name == "hydration") & (Setting.deleted == False))  # noqa: E712
           .first())
    return row.data if row else {}


def entries_near(user, now, before=timedelta(days=2), after=timedelta(days=1)):
    """Return the wire data of the person's live entries from two days before `now` to a day after."""
    start, end = ((now + shift).astimezone(UTC).replace(tzinfo=None) for shift in (-before, after))
    return [row.data for row in Entry.live_for(user).where(Entry.occurred_at.between(start, end))]


def today_for(user, now):
    """Return the day so far for a stored person."""
    return today(settings_of(user), entries_near(user, now), now)


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
    shortfall = round_ml(max(0, expected_ml(settings, entries, day, slot.at) - drunk))
    lead = "Keep sipping through your workout. " if slot.kind == "workout" else ""
    glass = GLASS_ML[units]
    return reminder_payload_schema.dump({
        "type": "hydration-reminder",
        "slot": slot.key,
        "title": "Time for a drink",
        "body": (
            f"{lead}You are about {amount(shortfall, units)} behind your pace: "
            f"{amount(drunk, units, label=False)} of {amount(target, units)} so far today."
        ),
        "tag": "hydration",
        "url": "/",
        "target_ml": target,
        "intake_ml": drunk,
        "remaining_ml": max(0, target - drunk),
        "units": units,
        "sent_at": now,
        "actions": [{"action": "drink", "title": "+" + amount(glass, units), "volume_ml": glass, "drink": "water"}],
    })
