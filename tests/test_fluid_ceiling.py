"""The ceiling as well as the floor: bounded targets, 800 ml an hour at most, one drink a reminder,
a doctor's fluid limit, and the evening taper for people with night cramps."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st
from marshmallow import ValidationError

from schemas.hydration import hydration_settings_schema
from server import hydration, reminders
from server.models.accounts import User
from tests.sync_helpers import Device, put

UTC = timezone.utc
NOON = datetime(2024, 6, 12, 11, 0, tzinfo=UTC)  # 12:00 in London


def make(**overrides):
    """Return loaded (validated, defaulted) hydration settings, reminders on."""
    return hydration_settings_schema.load({"timezone": "Europe/London", "reminders_enabled": True, **overrides})


def drink(when, volume_ml):
    return {"kind": "hydration", "occurred_at": when, "volume_ml": volume_ml, "drink": "water"}


def routine(when, duration_s):
    return {"kind": "routine", "occurred_at": when, "routine": "calf", "duration_s": duration_s}


@pytest.mark.parametrize("raw", [
    {"per_kg_ml": 40, "body_weight_kg": 70.0},
    {"baseline_ml": 5000},
    {"fluid_limit_ml": 499},
    {"fluid_limit_ml": 3001},
    {"fluid_limit_ml": 1500.5},
])
def test_settings_refuse_targets_past_the_ceiling(raw):
    with pytest.raises(ValidationError) as caught:
        hydration_settings_schema.load(raw)
    assert set(caught.value.messages) == set(raw) - {"body_weight_kg"}


@pytest.mark.parametrize("overrides, expected", [
    ({"body_weight_kg": 350.0, "per_kg_ml": 35}, 3500),  # at most 100 kg count
    ({"body_weight_kg": 350.0, "per_kg_ml": 35, "hot_weather": True}, 4000),
    ({"baseline_ml": 4000, "hot_weather": True}, 4000),
    ({"body_weight_kg": 60.0, "per_kg_ml": 30}, 1800),
])
def test_the_base_target_is_at_most_four_litres(overrides, expected):
    assert hydration.daily_target(make(**overrides), [], NOON) == expected


def test_a_long_hot_day_of_exercise_is_at_most_six_litres():
    settings = make(baseline_ml=4000, hot_weather=True)
    entries = [routine(f"2024-06-12T{hour:02}:00:00+01:00", 6 * 3600) for hour in (8, 9, 10)]
    assert hydration.daily_target(settings, entries, NOON) == hydration.MAX_TARGET_ML


@pytest.mark.parametrize("limit, overrides, entries, expected", [
    (1500, {}, [], 1200),
    (1000, {}, [], 1000),
    (1000, {"hot_weather": True}, [], 1000),
    (1500, {"hot_weather": True}, [routine("2024-06-12T10:00:00+01:00", 7200)], 1500),
    (1500, {"workout": {"started_at": "2024-06-12T11:00:00+01:00", "ends_at": "2024-06-12T13:00:00+01:00"}}, [], 1500),
    (1505, {"baseline_ml": 3000}, [], 1505),
])
def test_a_fluid_limit_caps_the_target_whatever_the_heat_or_exercise(limit, overrides, entries, expected):
    settings = make(fluid_limit_ml=limit, **overrides)
    assert hydration.daily_target(settings, entries, NOON) == expected
    assert hydration.today(settings, entries, NOON)["target_ml"] == expected


def test_a_fluid_limit_stops_reminders_even_far_behind():
    settings = make(fluid_limit_ml=1500)
    assert hydration.due_reminder(make(), [], datetime(2024, 6, 12, 15, 5, tzinfo=UTC)) is not None
    assert hydration.due_reminder(settings, [], datetime(2024, 6, 12, 15, 5, tzinfo=UTC)) is None
    assert hydration.next_reminder(settings, [], NOON) is None
    assert hydration.today(settings, [], NOON)["next_reminder_at"] is None


STEEP = [
    make(baseline_ml=4000, wake="08:00", sleep="12:00"),
    make(baseline_ml=4000, hot_weather=True, evening_taper=True, wake="07:00", sleep="13:00"),
]


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    which=st.sampled_from(range(len(STEEP))),
    workout_start=st.integers(0, 5 * 60),
    workout_min=st.integers(10, 360),
    minutes=st.tuples(st.integers(0, 24 * 60), st.integers(0, 24 * 60)),
)
def test_the_plan_never_asks_for_more_than_800_ml_in_an_hour(which, workout_start, workout_min, minutes):
    start = datetime(2024, 6, 12, 7, 0, tzinfo=UTC) + timedelta(minutes=workout_start)
    settings = {**STEEP[which], "workout": {
        "started_at": start.isoformat(), "ends_at": (start + timedelta(minutes=workout_min)).isoformat()}}
    day = reminders.waking_day(settings, date(2024, 6, 12))
    early, late = (day.start + timedelta(minutes=m) for m in sorted(minutes))
    rise = hydration.expected_ml(settings, [], day, late) - hydration.expected_ml(settings, [], day, early)
    assert rise <= hydration.MAX_ML_PER_HOUR * (late - early) / timedelta(hours=1) + 1e-6


def test_a_steep_plan_runs_late_rather_than_fast():
    settings = make(baseline_ml=4000, wake="08:00", sleep="12:00")
    day = reminders.waking_day(settings, date(2024, 6, 12))
    assert hydration.expected_ml(settings, [], day, day.wake + timedelta(hours=1)) == pytest.approx(800)
    assert hydration.expected_ml(settings, [], day, day.sleep) == pytest.approx(3200)


def test_a_reminder_names_one_glass_not_the_shortfall():
    settings = make(baseline_ml=3000)
    now = datetime(2024, 6, 12, 15, 5, tzinfo=UTC)  # far behind: nothing drunk by 16:05
    slot = hydration.due_reminder(settings, [], now)
    payload = hydration.reminder_payload(settings, [], slot, now)
    assert payload["body"] == "Time for a glass: about 250 ml. 0 of 3,000 ml so far today."
    assert payload["actions"][0] == {"action": "drink", "title": "+250 ml", "volume_ml": 250, "drink": "water"}
    assert "behind" not in payload["body"]


def test_a_reminder_keeps_the_past_hour_under_800_ml():
    settings = make(baseline_ml=4000, wake="08:00", sleep="14:00")
    now = datetime(2024, 6, 12, 11, 35, tzinfo=UTC)  # 12:35 in London, just after a slot
    sips = [drink("2024-06-12T11:45:00+01:00", 600)]
    slot = hydration.due_reminder(settings, sips, now)
    payload = hydration.reminder_payload(settings, sips, slot, now)
    assert payload["actions"][0]["volume_ml"] == 200
    assert payload["body"].startswith("Time for a few sips: about 200 ml.")
    assert hydration.due_reminder(settings, [drink("2024-06-12T11:45:00+01:00", 700)], now) is None


@pytest.fixture
def device(client, auth):
    _, token = auth.register()
    return Device(client, token)


def cramp(context, when):
    return {"kind": "cramp", "occurred_at": when.isoformat(), "muscle": "calf", "side": "left",
            "intensity": 6, "duration_s": 60, "context": context}


@pytest.mark.parametrize("stored, cramps, taper", [
    (None, [], None),
    (None, [("exercise", 2)], None),
    (None, [("night", 2)], True),
    (None, [("night", 120)], None),
    ({"reminders_enabled": True}, [("night", 2)], True),
    ({"evening_taper": False}, [("night", 2)], False),
    ({"evening_taper": True}, [], True),
])
def test_night_cramps_turn_the_evening_taper_on_unless_chosen(app, device, stored, cramps, taper):
    now = datetime.now(UTC).replace(microsecond=0)
    mutations = [put(n + 1, data=cramp(context, now - timedelta(days=days))) for n, (context, days) in enumerate(cramps)]
    if stored is not None:
        mutations.append(put(len(mutations) + 1, "hydration", stored, entity="settings"))
    if mutations:
        assert {r["status"] for r in device.push(*mutations).get_json()["results"]} == {"applied"}
    with app.app_context():
        user = User.select().first()
        assert hydration.settings_of(user, now).get("evening_taper") is taper


@pytest.mark.parametrize("drunk, named", [(550, 250), (785, 10), (786, 10), (791, 0), (795, 0),
                                           (800, 0), (801, 0)])
def test_the_next_drink_never_takes_the_past_hour_over_800_ml(drunk, named):
    at = datetime(2024, 6, 12, 11, 0, tzinfo=UTC)
    sips = [drink("2024-06-12T11:30:00+01:00", drunk)]
    assert hydration.next_drink_ml(make(), sips, at) == named


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    per_kg=st.one_of(st.none(), st.tuples(st.floats(20, 350), st.integers(20, 35))),
    baseline=st.integers(500, 4000),
    hot=st.booleans(),
    units=st.sampled_from(["ml", "floz"]),
    drinks=st.lists(st.tuples(st.integers(0, 24 * 60), st.integers(1, 900)), max_size=8),
    minute=st.integers(0, 24 * 60),
)
def test_no_reminder_ever_asks_for_more_than_800_ml_in_an_hour(per_kg, baseline, hot, units, drinks,
                                                               minute):
    weight, per_kg = per_kg or (None, None)
    settings = make(body_weight_kg=weight, per_kg_ml=per_kg, baseline_ml=baseline, hot_weather=hot,
                    units=units, wake="07:00", sleep="23:00")
    midnight = datetime(2024, 6, 12, tzinfo=UTC)
    now = midnight + timedelta(minutes=minute)
    sips = [drink((midnight + timedelta(minutes=m)).isoformat(), volume)
            for m, volume in drinks if midnight + timedelta(minutes=m) <= now]
    past_hour = hydration.drunk_in_hour_before(sips, now)
    named = hydration.next_drink_ml(settings, sips, now)
    assert named == 0 or past_hour + named <= hydration.MAX_ML_PER_HOUR
    slot = hydration.due_reminder(settings, sips, now)
    if slot is not None:
        payload = hydration.reminder_payload(settings, sips, slot, now)
        asked = payload["actions"][0]["volume_ml"]
        assert hydration.drunk_in_hour_before(sips, slot.at) + asked <= hydration.MAX_ML_PER_HOUR
