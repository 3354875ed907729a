"""Hydration settings, the daily target, what counts as intake, and the day so far."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st
from marshmallow import ValidationError

from schemas.hydration import hydration_settings_schema, hydration_today_schema
from server import hydration, reminders

UTC = timezone.utc
NOON = datetime(2024, 6, 12, 11, 0, tzinfo=UTC)  # 12:00 in London


def make(**overrides):
    """Return loaded (validated, defaulted) hydration settings."""
    return hydration_settings_schema.load({"timezone": "Europe/London", **overrides})


def entry(kind, when="2024-06-12T09:00:00+01:00", **data):
    """Return an entry shaped like the wire data."""
    return {"kind": kind, "occurred_at": when, **data}


def test_defaults_follow_uk_guidance_and_keep_reminders_off():
    loaded = hydration_settings_schema.load({})
    assert loaded["baseline_ml"] == 1200
    assert loaded["reminders_enabled"] is False
    assert loaded["units"] == "ml" and loaded["timezone"] == "UTC"
    assert hydration.daily_target({}, [], NOON) == 1200


@pytest.mark.parametrize("raw, field", [
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": "localtime"}, "timezone"),
    ({"timezone": "../../etc/passwd"}, "timezone"),
    ({"timezone": ""}, "timezone"),
    ({"timezone": "Europe/" + "X" * 64}, "timezone"),
    ({"wake": "7:00"}, "wake"),
    ({"wake": "07:00\n"}, "wake"),
    ({"sleep": "24:00"}, "sleep"),
    ({"wake": "07:00", "sleep": "05:00"}, "wake"),
    ({"wake": "07:00", "sleep": "10:00"}, "sleep"),
    ({"baseline_ml": "1200"}, "baseline_ml"),
    ({"baseline_ml": 1200.5}, "baseline_ml"),
    ({"baseline_ml": 100}, "baseline_ml"),
    ({"interval_min": 5}, "interval_min"),
    ({"per_kg_ml": 30}, "body_weight_kg"),
    ({"body_weight_kg": float("nan")}, "body_weight_kg"),
    ({"units": "cups"}, "units"),
    ({"quiet_hours": [{"start": "12:00", "end": "12:00"}]}, "quiet_hours"),
    ({"quiet_hours": [{"start": "12:00"}]}, "quiet_hours"),
    ({"workout": {"started_at": "2024-06-12T10:00:00", "ends_at": "2024-06-12T11:00:00+01:00"}}, "workout"),
    ({"workout": {"started_at": "yesterday", "ends_at": "2024-06-12T11:00:00+01:00"}}, "workout"),
    ({"workout": {"started_at": "2024-06-12T10:00:00Z", "ends_at": "2024-06-12T09:00:00Z"}}, "workout"),
    ({"workout": {"started_at": "2024-06-12T10:00:00Z", "ends_at": "2024-06-12T17:00:00Z"}}, "workout"),
    ({"reminder_sound": "loud"}, "reminder_sound"),
])
def test_settings_refuse_bad_values_with_a_field_message(raw, field):
    with pytest.raises(ValidationError) as caught:
        hydration_settings_schema.load(raw)
    assert field in caught.value.messages


def test_a_partial_update_checks_only_what_it_carries():
    assert hydration_settings_schema.load({"wake": "08:00"}, partial=True) == {"wake": "08:00"}


def test_settings_accept_a_full_document():
    raw = {
        "body_weight_kg": 72.5, "baseline_ml": 1500, "per_kg_ml": 30, "fluid_limit_ml": 2000, "timezone": "America/New_York",
        "wake": "06:15", "sleep": "00:30", "quiet_hours": [{"start": "23:00", "end": "00:15"}],
        "interval_min": 60, "evening_taper": True, "units": "floz", "reminders_enabled": True,
        "hot_weather": True, "workout": {"started_at": "2024-06-12T10:00:00-04:00", "ends_at": "2024-06-12T11:00:00-04:00"},
    }
    assert hydration_settings_schema.load(raw) == raw


@pytest.mark.parametrize("overrides, expected", [
    ({}, 1200),
    ({"baseline_ml": 2000}, 2000),
    ({"body_weight_kg": 70.0, "per_kg_ml": 30}, 2100),
    ({"body_weight_kg": 70.0}, 1200),
    ({"hot_weather": True}, 1700),
    ({"body_weight_kg": 81.3, "per_kg_ml": 25, "hot_weather": True}, 2530),
])
def test_target_before_exercise(overrides, expected):
    assert hydration.daily_target(make(**overrides), [], NOON) == expected


@pytest.mark.parametrize("entries, hot, expected", [
    ([entry("routine", duration_s=3600)], False, 1700),
    ([entry("routine", duration_s=3600)], True, 1700 + 750),
    ([entry("routine", duration_s=600), entry("routine", duration_s=1200)], False, 1450),
    ([entry("routine")], False, 1200),
    ([entry("cramp", context="exercise")], False, 1450),
    ([entry("cramp", context="night")], False, 1200),
    ([entry("cramp", context="exercise"), entry("routine", duration_s=1800)], False, 1450),
    ([entry("routine", when="2024-06-11T18:00:00+01:00", duration_s=3600)], False, 1200),
])
def test_logged_exercise_adds_an_allowance(entries, hot, expected):
    assert hydration.daily_target(make(hot_weather=hot), entries, NOON) == expected


@pytest.mark.parametrize("started, ends, expected", [
    ("2024-06-12T11:30:00+01:00", "2024-06-12T12:30:00+01:00", 1700),
    ("2024-06-12T11:00:00+01:00", "2024-06-12T11:30:00+01:00", 1450),
    ("2024-06-12T13:00:00+01:00", "2024-06-12T14:00:00+01:00", 1200),
    ("2024-06-11T17:00:00+01:00", "2024-06-11T18:00:00+01:00", 1200),
])
def test_a_workout_counts_once_it_has_started(started, ends, expected):
    settings = make(workout={"started_at": started, "ends_at": ends})
    assert hydration.daily_target(settings, [], NOON) == expected


@pytest.mark.parametrize("drink, counted", [
    ("water", 250), ("electrolyte", 250), ("ors", 250), ("pickle_juice", 250),
    ("tea", 250), ("coffee", 250), ("other", 250), ("alcohol", 0),
])
def test_counting_rule_per_drink(drink, counted):
    day = reminders.day_of(make(), NOON)
    assert hydration.intake([entry("hydration", volume_ml=250, drink=drink)], day) == counted


@pytest.mark.parametrize("wake, sleep, when, counted_on", [
    ("07:00", "22:30", "2024-06-12T23:30:00+01:00", date(2024, 6, 12)),
    ("07:00", "22:30", "2024-06-13T03:00:00+01:00", date(2024, 6, 13)),
    ("07:00", "22:30", "2024-06-13T02:30:00+01:00", date(2024, 6, 12)),
    ("09:00", "01:00", "2024-06-13T00:40:00+01:00", date(2024, 6, 12)),
    ("15:00", "07:00", "2024-06-13T06:00:00+01:00", date(2024, 6, 12)),
    ("07:00", "22:30", "2024-06-12T23:30:00-04:00", date(2024, 6, 13)),
    ("07:00", "22:30", "2024-06-12T20:00:00", date(2024, 6, 12)),
])
def test_a_drink_belongs_to_the_waking_day_around_it(wake, sleep, when, counted_on):
    settings = make(wake=wake, sleep=sleep)
    drinks = [entry("hydration", when=when, volume_ml=300, drink="water")]
    day = reminders.day_of(settings, reminders.instant(when))
    assert day.date == counted_on
    assert hydration.intake(drinks, day) == 300
    assert hydration.intake(drinks, reminders.waking_day(settings, counted_on + timedelta(days=1))) == 0


def test_today_reports_target_intake_remaining_and_next_reminder():
    settings = make(reminders_enabled=True)
    entries = [
        entry("hydration", when="2024-06-12T08:00:00+01:00", volume_ml=250, drink="water"),
        entry("hydration", when="2024-06-12T10:00:00+01:00", volume_ml=200, drink="coffee"),
        entry("hydration", when="2024-06-12T11:00:00+01:00", volume_ml=500, drink="alcohol"),
        entry("note", text="felt fine"),
    ]
    summary = hydration.today(settings, entries, NOON)
    assert summary == {
        "target_ml": 1200,
        "intake_ml": 450,
        "remaining_ml": 750,
        "next_reminder_at": datetime(2024, 6, 12, 15, 0, tzinfo=UTC),
    }
    assert hydration_today_schema.dump(summary)["next_reminder_at"] == "2024-06-12T15:00:00+00:00"


def test_remaining_never_goes_below_zero():
    entries = [entry("hydration", volume_ml=5000, drink="water")]
    summary = hydration.today(make(), entries, NOON)
    assert summary["intake_ml"] == 5000 and summary["remaining_ml"] == 0


@pytest.mark.parametrize("units, glass, body", [
    ("ml", "+250 ml", "Time for a glass: about 250 ml. 0 of 1,200 ml so far today."),
    ("floz", "+8 fl oz", "Time for a glass: about 8 fl oz. 0 of 41 fl oz so far today."),
])
def test_reminder_payload_speaks_the_persons_units(units, glass, body):
    settings = make(units=units, reminders_enabled=True)
    now = datetime(2024, 6, 12, 9, 5, tzinfo=UTC)
    slot = hydration.due_reminder(settings, [], now)
    payload = hydration.reminder_payload(settings, [], slot, now)
    assert payload["slot"] == "hydration/2024-06-12T09:00Z"
    assert payload["body"] == body
    assert payload["actions"][0]["title"] == glass
    assert payload["actions"][0]["volume_ml"] == hydration.GLASS_ML[units]
    assert payload["sent_at"] == "2024-06-12T09:05:00+00:00"


DRINKS = st.sampled_from(["water", "electrolyte", "ors", "pickle_juice", "coffee", "tea", "alcohol", "other"])


@hypothesis_settings(max_examples=100, deadline=None)
@given(
    drinks=st.lists(st.tuples(st.integers(0, 24 * 60 - 1), st.integers(1, 5000), DRINKS), max_size=12),
    routine_s=st.integers(0, 4 * 3600),
    hot=st.booleans(),
)
def test_summary_arithmetic_holds_for_any_day(drinks, routine_s, hot):
    settings = make(hot_weather=hot)
    start = datetime(2024, 6, 12, 2, 0, tzinfo=UTC)
    entries = [
        entry("hydration", when=(start + timedelta(minutes=minute)).isoformat(), volume_ml=ml, drink=kind)
        for minute, ml, kind in drinks
    ] + [entry("routine", duration_s=routine_s)]
    summary = hydration.today(settings, entries, NOON)
    assert summary["target_ml"] >= hydration.base_ml(settings)
    assert summary["remaining_ml"] == max(0, summary["target_ml"] - summary["intake_ml"])
    assert summary["intake_ml"] <= sum(ml for _, ml, kind in drinks if kind != "alcohol")
