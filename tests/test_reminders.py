"""The reminder schedule: sleep, quiet hours, time zones and DST, workouts, taper, on-track."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings as hypothesis_settings, strategies as st

from schemas.hydration import hydration_settings_schema
from server import hydration, reminders

UTC = timezone.utc


def make(**overrides):
    """Return loaded (validated, defaulted) hydration settings."""
    return hydration_settings_schema.load({"timezone": "Europe/London", "reminders_enabled": True, **overrides})


def wall(settings, slots):
    """Return the local HH:MM of each slot."""
    zone = ZoneInfo(settings["timezone"])
    return [slot.at.astimezone(zone).strftime("%H:%M") for slot in slots]


def at(text):
    """Return an aware instant from ISO text."""
    return datetime.fromisoformat(text).astimezone(UTC)


def drink(when, ml, kind="water"):
    """Return a hydration entry."""
    return {"kind": "hydration", "occurred_at": when, "volume_ml": ml, "drink": kind}


@pytest.mark.parametrize("wake, sleep, interval, expected", [
    ("07:00", "23:30", 90, ["08:30", "10:00", "11:30", "13:00", "14:30", "16:00", "17:30", "19:00", "20:30", "22:00"]),
    ("09:00", "01:00", 90, ["10:30", "12:00", "13:30", "15:00", "16:30", "18:00", "19:30", "21:00", "22:30", "00:00"]),
    ("15:00", "07:00", 120, ["17:00", "19:00", "21:00", "23:00", "01:00", "03:00", "05:00"]),
])
def test_slots_stay_in_the_waking_window_across_midnight(wake, sleep, interval, expected):
    settings = make(wake=wake, sleep=sleep, interval_min=interval)
    day = reminders.waking_day(settings, date(2024, 6, 12))
    found = reminders.slots(settings, day)
    assert wall(settings, found) == expected
    assert not any(reminders.asleep(settings, slot.at) for slot in found)
    assert all(day.wake < slot.at < day.sleep for slot in found)


@pytest.mark.parametrize("wake, sleep, quiet, expected", [
    ("07:00", "22:30", [{"start": "12:00", "end": "14:00"}],
     ["08:00", "09:00", "10:00", "11:00", "14:00", "15:00", "16:00", "17:00", "18:00", "19:00", "20:00", "21:00"]),
    ("09:00", "02:00", [{"start": "23:00", "end": "01:00"}],
     ["10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00", "18:00", "19:00", "20:00",
      "21:00", "22:00", "01:00"]),
    ("07:00", "22:30", [{"start": "09:30", "end": "10:30"}, {"start": "16:00", "end": "19:00"}],
     ["08:00", "09:00", "11:00", "12:00", "13:00", "14:00", "15:00", "19:00", "20:00", "21:00"]),
])
def test_quiet_hours_have_no_slots(wake, sleep, quiet, expected):
    settings = make(wake=wake, sleep=sleep, interval_min=60, quiet_hours=quiet)
    found = reminders.slots(settings, reminders.waking_day(settings, date(2024, 6, 12)))
    assert wall(settings, found) == expected
    assert not any(reminders.quiet(settings, slot.at) for slot in found)


@pytest.mark.parametrize("zone, on, first_slot", [
    ("Europe/London", date(2024, 3, 30), "2024-03-30T08:30Z"),
    ("Europe/London", date(2024, 3, 31), "2024-03-31T07:30Z"),
    ("Europe/London", date(2024, 10, 27), "2024-10-27T08:30Z"),
    ("America/New_York", date(2024, 3, 9), "2024-03-09T13:30Z"),
    ("America/New_York", date(2024, 3, 10), "2024-03-10T12:30Z"),
    ("America/New_York", date(2024, 11, 3), "2024-11-03T13:30Z"),
])
def test_wall_clock_slots_survive_dst_changes(zone, on, first_slot):
    settings = make(timezone=zone)
    found = reminders.slots(settings, reminders.waking_day(settings, on))
    assert found[0].key == "hydration/" + first_slot
    assert wall(settings, found) == ["08:30", "10:00", "11:30", "13:00", "14:30", "16:00", "17:30", "19:00", "20:30"]


@pytest.mark.parametrize("zone, night, expected", [
    ("America/New_York", date(2024, 11, 2),
     ["19:00", "20:00", "21:00", "22:00", "23:00", "00:00", "01:00", "01:00", "02:00", "03:00", "04:00", "05:00",
      "06:00", "07:00"]),
    ("America/New_York", date(2024, 3, 9),
     ["19:00", "20:00", "21:00", "22:00", "23:00", "00:00", "01:00", "03:00", "04:00", "05:00", "06:00", "07:00"]),
    ("Europe/London", date(2024, 10, 26),
     ["19:00", "20:00", "21:00", "22:00", "23:00", "00:00", "01:00", "01:00", "02:00", "03:00", "04:00", "05:00",
      "06:00", "07:00"]),
    ("Europe/London", date(2024, 3, 30),
     ["19:00", "20:00", "21:00", "22:00", "23:00", "00:00", "02:00", "03:00", "04:00", "05:00", "06:00", "07:00"]),
])
def test_night_shift_slots_follow_real_time_through_a_dst_night(zone, night, expected):
    settings = make(timezone=zone, wake="18:00", sleep="08:00", interval_min=60)
    found = reminders.slots(settings, reminders.waking_day(settings, night))
    assert wall(settings, found) == expected
    gaps = {later.at - earlier.at for earlier, later in zip(found, found[1:])}
    assert gaps == {timedelta(hours=1)}
    assert len({slot.key for slot in found}) == len(found)


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
@pytest.mark.parametrize("start", [date(2024, 3, 8), date(2024, 10, 25), date(2024, 11, 1)])
@pytest.mark.parametrize("wake, sleep", [("07:00", "22:30"), ("09:00", "01:00"), ("15:00", "07:00")])
def test_days_tile_time_without_gaps_through_dst(zone, start, wake, sleep):
    settings = make(timezone=zone, wake=wake, sleep=sleep)
    days = [reminders.waking_day(settings, start + timedelta(days=n)) for n in range(4)]
    assert all(day.end == following.start for day, following in zip(days, days[1:]))
    assert all(day.start < day.wake < day.sleep < day.end for day in days)
    moment = days[0].start
    while moment < days[-1].end:
        assert days.index(reminders.day_of(settings, moment)) in range(4)
        day = reminders.day_of(settings, moment)
        assert day.start <= moment < day.end
        moment += timedelta(minutes=15)


def test_workout_brings_reminders_every_twenty_minutes_and_one_at_the_end():
    settings = make(workout={"started_at": "2024-06-12T17:05:00+01:00", "ends_at": "2024-06-12T18:05:00+01:00"})
    found = reminders.slots(settings, reminders.waking_day(settings, date(2024, 6, 12)))
    assert wall(settings, found) == [
        "08:30", "10:00", "11:30", "13:00", "14:30", "16:00", "17:25", "17:45", "18:05", "19:00", "20:30"
    ]
    assert [slot.kind for slot in found][6:9] == ["workout"] * 3


@pytest.mark.parametrize("started, ends, expected", [
    ("05:30", "06:30", []),
    ("06:20", "07:40", ["07:00", "07:20", "07:40"]),
    ("12:10", "13:10", ["12:50", "13:10"]),
])
def test_workout_slots_respect_sleep_and_quiet_hours(started, ends, expected):
    settings = make(
        quiet_hours=[{"start": "12:15", "end": "12:45"}],
        workout={"started_at": f"2024-06-12T{started}:00+01:00", "ends_at": f"2024-06-12T{ends}:00+01:00"},
    )
    found = reminders.slots(settings, reminders.waking_day(settings, date(2024, 6, 12)))
    assert [t for t, slot in zip(wall(settings, found), found) if slot.kind == "workout"] == expected


def test_a_workout_makes_an_on_pace_person_due_more_often():
    quiet_day = make()
    workout_day = make(workout={"started_at": "2024-06-12T17:05:00+01:00", "ends_at": "2024-06-12T18:05:00+01:00"})
    day = reminders.waking_day(quiet_day, date(2024, 6, 12))
    on_pace = round(hydration.expected_ml(quiet_day, [], day, at("2024-06-12T17:25:00+01:00")))
    # Drunk over an hour before, so the hour's 800 ml ceiling leaves room for the next glass.
    entries = [drink("2024-06-12T16:20:00+01:00", on_pace)]
    now = at("2024-06-12T17:26:00+01:00")
    assert hydration.due_reminder(quiet_day, entries, now) is None
    slot = hydration.due_reminder(workout_day, entries, now)
    assert slot.kind == "workout" and slot.key == "hydration/2024-06-12T16:25Z"


def evening(settings, on):
    """Return the local times of the slots from 18:00 on."""
    found = reminders.slots(settings, reminders.waking_day(settings, on))
    return [clock for clock in wall(settings, found) if clock >= "18:00"]


@pytest.mark.parametrize("interval, plain_evening, tapered_evening", [
    (30, ["18:00", "18:30", "19:00", "19:30", "20:00", "20:30", "21:00", "21:30"], ["18:00", "18:30", "19:30"]),
    (60, ["18:00", "19:00", "20:00", "21:00"], ["18:00", "19:00"]),
])
def test_evening_taper_thins_then_silences_the_evening(interval, plain_evening, tapered_evening):
    day_of = date(2024, 6, 12)
    plain = make(interval_min=interval)
    tapered = make(interval_min=interval, evening_taper=True)
    assert evening(plain, day_of) == plain_evening
    assert evening(tapered, day_of) == tapered_evening
    day = reminders.waking_day(tapered, day_of)
    assert reminders.pace(tapered, day, day.sleep - timedelta(hours=2)) == 1.0
    assert reminders.pace(plain, day, day.sleep - timedelta(hours=2)) < 1.0


@pytest.mark.parametrize("drunk_ml, due", [(0, True), (300, True), (400, False), (700, False), (1200, False)])
def test_no_reminder_while_on_track(drunk_ml, due):
    settings = make()
    entries = [drink("2024-06-12T09:00:00+01:00", drunk_ml)] if drunk_ml else []
    slot = hydration.due_reminder(settings, entries, at("2024-06-12T13:05:00+01:00"))
    assert (slot is not None) == due
    if due:
        assert slot.key == "hydration/2024-06-12T12:00Z"


def test_next_reminder_waits_until_the_pace_overtakes_intake():
    settings = make()
    entries = [drink("2024-06-12T09:30:00+01:00", 600)]
    slot = hydration.next_reminder(settings, entries, at("2024-06-12T10:00:00+01:00"))
    assert slot.at == at("2024-06-12T17:30:00+01:00")


def test_target_met_means_no_more_reminders_today():
    settings = make()
    entries = [drink("2024-06-12T12:00:00+01:00", 1300)]
    slot = hydration.next_reminder(settings, entries, at("2024-06-12T12:30:00+01:00"))
    assert slot.at.date() == date(2024, 6, 13)


@pytest.mark.parametrize("now, last_sent, expected", [
    ("2024-06-12T13:20:00+01:00", None, "hydration/2024-06-12T12:00Z"),
    ("2024-06-12T13:45:00+01:00", None, None),
    ("2024-06-12T13:20:00+01:00", "2024-06-12T12:55:00+01:00", None),
    ("2024-06-12T13:20:00+01:00", "2024-06-12T11:30:00+01:00", "hydration/2024-06-12T12:00Z"),
])
def test_a_late_slot_is_skipped_and_reminders_keep_their_distance(now, last_sent, expected):
    slot = hydration.due_reminder(make(), [], at(now), last_sent_at=last_sent and at(last_sent))
    assert (slot and slot.key) == expected


def test_reminders_follow_each_persons_own_time_zone():
    now = at("2024-06-12T12:05:00Z")
    assert hydration.due_reminder(make(timezone="Europe/London"), [], now).key == "hydration/2024-06-12T12:00Z"
    assert hydration.due_reminder(make(timezone="America/New_York"), [], now) is None
    assert hydration.due_reminder(make(timezone="America/New_York"), [], at("2024-06-12T17:05:00Z")).key == (
        "hydration/2024-06-12T17:00Z"
    )


def test_reminders_are_off_until_turned_on():
    settings = make(reminders_enabled=False)
    now = at("2024-06-12T13:05:00+01:00")
    assert hydration.due_reminder(settings, [], now) is None
    assert hydration.today(settings, [], now)["next_reminder_at"] is None


CLOCKS = st.integers(0, 24 * 4 - 1).map(lambda quarter: f"{quarter // 4:02d}:{quarter % 4 * 15:02d}")


@st.composite
def schedules(draw):
    """Draw valid settings for a person anywhere, with or without quiet hours and taper."""
    raw = {
        "timezone": draw(st.sampled_from(["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"])),
        "wake": draw(CLOCKS),
        "sleep": draw(CLOCKS),
        "interval_min": draw(st.integers(30, 240)),
        "evening_taper": draw(st.booleans()),
        "quiet_hours": draw(st.lists(st.fixed_dictionaries({"start": CLOCKS, "end": CLOCKS}), max_size=2)),
        "reminders_enabled": True,
    }
    errors = hydration_settings_schema.validate(raw)
    assume(not errors)
    return hydration_settings_schema.load(raw)


@hypothesis_settings(max_examples=150, deadline=None)
@given(settings=schedules(), on=st.dates(date(2024, 1, 1), date(2025, 12, 31)))
def test_no_slot_ever_falls_in_sleep_or_quiet_hours(settings, on):
    day = reminders.waking_day(settings, on)
    found = reminders.slots(settings, day)
    assert found == sorted(found)
    assert len({slot.key for slot in found}) == len(found)
    for slot in found:
        assert not reminders.asleep(settings, slot.at)
        assert not reminders.quiet(settings, slot.at)
        assert day.wake < slot.at < day.sleep
        assert reminders.day_of(settings, slot.at) == day


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    settings=schedules(),
    now=st.datetimes(datetime(2024, 1, 1), datetime(2025, 12, 31), timezones=st.just(UTC)),
    drunk=st.integers(0, 3000),
)
def test_a_due_reminder_is_always_a_permitted_recent_slot(settings, now, drunk):
    entries = [drink((now - timedelta(minutes=5)).isoformat(), drunk)] if drunk else []
    slot = hydration.due_reminder(settings, entries, now)
    if slot is not None:
        assert now - reminders.GRACE < slot.at <= now
        assert not reminders.asleep(settings, slot.at) and not reminders.quiet(settings, slot.at)
        summary = hydration.today(settings, entries, now)
        assert summary["remaining_ml"] > 0
    upcoming = hydration.next_reminder(settings, entries, now)
    assert upcoming is None or upcoming.at >= now
