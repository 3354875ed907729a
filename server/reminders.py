"""The reminder schedule: when a hydration nudge may go out, in the person's own time.

Local wall times are turned into UTC instants through zoneinfo in one place (`local`), so time
zones and daylight-saving changes need no special cases elsewhere. The rules:

- A day runs from the middle of one sleep window to the middle of the next, so it holds one
  whole waking window even when the person goes to bed after midnight or sleeps by day.
- Regular slots fall every `interval_min` after waking and stop half an hour before sleep.
- No slot ever falls inside the sleep window or quiet hours.
- Evening taper (for people with night cramps): in the four hours before sleep slots come half
  as often, the last two hours are silent, and the day's pace is planned to be complete by then.
- During a workout slots come every 20 minutes, plus one as it ends; regular slots inside the
  workout give way to them.
- A slot becomes a reminder only when the person is behind at that moment; what "behind" means
  is the caller's (the hydration module's) business, passed in as a function of the instant.

A slot's key names its UTC minute; the worker stores it so that no slot is sent twice.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from schemas.hydration import minutes_of, span

UTC = timezone.utc
WIND_DOWN = timedelta(minutes=30)
TAPER_SPAN = timedelta(hours=4)
TAPER_STOP = timedelta(hours=2)
WORKOUT_INTERVAL = timedelta(minutes=20)
# A slot missed by longer than this (a worker was down) is skipped rather than sent late.
GRACE = timedelta(minutes=30)
# After a settings change the slot grid moves; never send two reminders closer than this.
MIN_GAP = timedelta(minutes=10)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Day:
    """One hydration day: its bounds and its waking window, as UTC instants."""

    date: date
    start: datetime
    end: datetime
    wake: datetime
    sleep: datetime


@dataclass(frozen=True, order=True)
class Slot:
    """A moment a reminder may go out, with the key that identifies it."""

    at: datetime
    kind: str

    @property
    def key(self):
        """Return the identity used to send this slot at most once."""
        return "hydration/" + self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def instant(value):
    """Return an aware UTC datetime from an ISO 8601 string or a datetime (naive means UTC)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def zone(settings):
    """Return the person's time zone."""
    return ZoneInfo(settings["timezone"])


def local(settings, on, clock, shift=timedelta(0)):
    """Return the UTC instant of a local wall time on a date, moved by a wall-clock shift."""
    hours, minutes = divmod(minutes_of(clock), 60)
    wall = datetime.combine(on, time(hours, minutes)) + shift
    # A wall time skipped by a spring-forward change maps (fold=0) to the instant just after it.
    return wall.replace(tzinfo=zone(settings)).astimezone(UTC)


def waking_day(settings, on):
    """Return the hydration day whose waking window starts on the local date `on`."""
    half_night = span(settings["sleep"], settings["wake"]) / 2
    awake = span(settings["wake"], settings["sleep"])
    return Day(
        date=on,
        start=local(settings, on, settings["wake"], -half_night),
        end=local(settings, on + DAY, settings["wake"], -half_night),
        wake=local(settings, on, settings["wake"]),
        sleep=local(settings, on, settings["wake"], awake),
    )


def day_of(settings, now):
    """Return the hydration day that contains the instant `now`."""
    today = now.astimezone(zone(settings)).date()
    for on in (today - DAY, today, today + DAY):
        day = waking_day(settings, on)
        if day.start <= now < day.end:
            return day
    raise ValueError("no hydration day contains this instant")


def pace_end(settings, day):
    """Return when the day's drinking is planned to be done: sleep, or two hours before it when tapered."""
    return day.sleep - (TAPER_STOP if settings["evening_taper"] else timedelta(0))


def pace(settings, day, at):
    """Return the share of the day's drinking planned to be done by `at` (0 to 1)."""
    share = (at - day.wake) / (pace_end(settings, day) - day.wake)
    return min(1.0, max(0.0, share))


def in_cycle(minute, start, end):
    """Tell whether a minute of the day lies in [start, end), wrapping past midnight."""
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def minute_of_day(settings, at):
    """Return the local minute of the day of an instant."""
    wall = at.astimezone(zone(settings))
    return wall.hour * 60 + wall.minute


def asleep(settings, at):
    """Tell whether an instant falls inside the person's sleep window."""
    minute = minute_of_day(settings, at)
    return in_cycle(minute, minutes_of(settings["sleep"]), minutes_of(settings["wake"]))


def quiet(settings, at):
    """Tell whether an instant falls inside any of the person's quiet hours."""
    minute = minute_of_day(settings, at)
    return any(
        in_cycle(minute, minutes_of(hours["start"]), minutes_of(hours["end"]))
        for hours in settings["quiet_hours"]
    )


def workout_window(settings):
    """Return the (start, end) of the workout in the settings, or None."""
    workout = settings.get("workout")
    if not workout:
        return None
    return instant(workout["started_at"]), instant(workout["ends_at"])


def regular_times(settings, day):
    """Yield the regular slot instants of a day, sparser in a tapered evening."""
    interval = timedelta(minutes=settings["interval_min"])
    taper = settings["evening_taper"]
    stop = day.sleep - (TAPER_STOP if taper else WIND_DOWN)
    sparse_from = day.sleep - TAPER_SPAN
    at = day.wake
    while True:
        at += interval * (2 if taper and at >= sparse_from else 1)
        if at >= stop:
            return
        yield at


def workout_times(start, end):
    """Yield a workout's slot instants: every 20 minutes, and one as it ends."""
    at = start.replace(second=0, microsecond=0) + WORKOUT_INTERVAL
    last = None
    while at < end:
        yield at
        last = at
        at += WORKOUT_INTERVAL
    finish = end.replace(second=0, microsecond=0)
    if last is None or finish - last >= MIN_GAP:
        yield finish


def slots(settings, day):
    """Return the day's permitted slots in time order."""
    window = workout_window(settings)
    found = [
        Slot(at, "regular")
        for at in regular_times(settings, day)
        if not (window and window[0] <= at <= window[1])
    ]
    if window:
        found += [Slot(at, "workout") for at in workout_times(*window) if day.start <= at < day.end]
    return sorted(slot for slot in found if not asleep(settings, slot.at) and not quiet(settings, slot.at))


def too_soon(slot, last_sent_at):
    """Tell whether a reminder already went out too close before this slot."""
    return last_sent_at is not None and instant(last_sent_at) > slot.at - MIN_GAP


def next_slot(settings, now, behind, last_sent_at=None, days=3):
    """Return the first slot at or after `now` at which the person would be behind."""
    first = day_of(settings, now).date
    for offset in range(days):
        for slot in slots(settings, waking_day(settings, first + offset * DAY)):
            if slot.at >= now and not too_soon(slot, last_sent_at) and behind(slot.at):
                return slot
    return None


def due_slot(settings, now, behind, last_sent_at=None):
    """Return the slot to send now, if the latest recent one finds the person behind."""
    current = day_of(settings, now)
    recent = [
        slot
        for day in (waking_day(settings, current.date - DAY), current)
        for slot in slots(settings, day)
        if now - GRACE < slot.at <= now
    ]
    if not recent:
        return None
    slot = max(recent)
    if too_soon(slot, last_sent_at) or not behind(slot.at):
        return None
    return slot
