"""The self-experiment: its document, its schedule and report, the push on the morning a block
changes (through the real worker and a real push service), and how it sets the drink
reminders; simulated experiments show how often it claims a difference."""

import random
from datetime import date, datetime, timedelta, timezone

import pytest
from marshmallow import ValidationError

from schemas.settings import load_settings
from server import experiment, hydration, patterns
from server.db import db
from server.models.accounts import User
from tests.sync_helpers import Device, put
from tests.test_worker import person, run, service, vapid  # noqa: F401 (fixtures)

UTC = timezone.utc
START = date(2024, 6, 3)  # a Monday
PLAN = {"habit": "evening-stretch", "started_on": START.isoformat(), "block_days": 7,
        "blocks": ["with", "without", "without", "with", "with", "without", "without", "with"]}


def trial(**changes):
    return load_settings("experiment", dict(PLAN, **changes))


@pytest.mark.parametrize("changes, field", [
    ({"habit": "magnesium"}, "habit"),
    ({"block_days": 10}, "block_days"),
    ({"blocks": ["with", "with", "without", "without"]}, "blocks"),
    ({"blocks": ["with", "without", "with"]}, "blocks"),
    ({"blocks": ["with"] * 5 + ["without"] * 5}, "blocks"),
    ({"stopped_on": "2024-06-01"}, "stopped_on"),
    ({"remind": "yes"}, "remind"),
])
def test_a_plan_out_of_pairs_or_out_of_order_is_refused(changes, field):
    with pytest.raises(ValidationError) as refused:
        trial(**changes)
    assert field in refused.value.messages


def test_the_blocks_follow_one_another_from_the_start():
    plan = trial()
    assert experiment.block_on(plan, START) == (0, "with")
    assert experiment.block_on(plan, START + timedelta(days=7)) == (1, "without")
    assert experiment.block_on(plan, START + timedelta(days=55)) == (7, "with")
    assert experiment.block_on(plan, START + timedelta(days=56)) is None
    assert experiment.block_on(plan, START - timedelta(days=1)) is None
    assert experiment.ends_on(plan) == START + timedelta(weeks=8)
    stopped = trial(stopped_on="2024-06-20")
    assert experiment.ends_on(stopped) == date(2024, 6, 20)
    assert experiment.block_on(stopped, date(2024, 6, 20)) is None


def stretch_diary(plan, chance_with, chance_without, seed, kept=1.0):
    """A diary over the experiment: the evening routine on the days it was kept, and a night
    cramp after each day with the chance of its block."""
    rng = random.Random(seed)
    entries = []
    for kind, first, after in experiment.blocks(plan):
        for i in range((after - first).days):
            day = first + timedelta(days=i)
            if (kind == "with") == (rng.random() < kept):
                entries.append({"kind": "routine", "routine": "evening-calf-hamstring",
                                "occurred_at": f"{day}T21:30:00+01:00", "duration_s": 300})
            if rng.random() < (chance_with if kind == "with" else chance_without):
                entries.append({"kind": "cramp", "context": "night", "muscle": "calf",
                                "occurred_at": f"{day + timedelta(days=1)}T02:00:00+01:00"})
    return entries


def report(plan, entries, today):
    return experiment.report(plan, patterns.Diary(entries, today), today)


def test_while_it_runs_there_is_no_answer_only_progress():
    plan = trial()
    today = START + timedelta(days=20)
    found = report(plan, stretch_diary(plan, 0.0, 1.0, 1), today)
    assert found["status"] == "running" and found["result"] is None
    assert found["current"] == 2
    # Days so far: two weeks with the routine, six days without it yet (block 3 runs).
    assert found["kept"] == [7, 7, 0, 13]


def test_at_the_end_the_weeks_with_the_habit_are_compared_with_those_without():
    plan = trial()
    found = report(plan, stretch_diary(plan, 0.0, 0.8, 3), START + timedelta(weeks=9))
    assert found["status"] == "ended" and found["current"] is None
    assert found["kept"] == [28, 28, 0, 28]
    assert found["note"] == "Kept on 28 of 28 days in the blocks with it, and 0 of 28 in those without."
    result = found["result"]
    assert result["days"] == [28, 28] and result["episodes"][0] == 0
    assert result["clear"] and result["upper"] < 1
    assert result["text"].startswith("100% fewer night cramps in the weeks with the evening stretch")


def test_a_stopped_experiment_reports_only_the_days_before_it_stopped():
    plan = trial(stopped_on=(START + timedelta(days=21)).isoformat())
    found = report(plan, stretch_diary(plan, 0.5, 0.5, 4), START + timedelta(days=30))
    assert found["status"] == "stopped"
    assert found["result"]["days"] == [7, 14]


def test_a_short_stop_says_not_enough_yet():
    plan = trial(stopped_on=(START + timedelta(days=9)).isoformat())
    found = report(plan, stretch_diary(plan, 0.5, 0.5, 5), START + timedelta(days=30))
    assert found["result"]["text"].startswith("Not enough yet: 5 more days in the weeks without it")


def test_the_habit_is_counted_by_plan_not_by_what_was_kept():
    """Half the evenings kept: the comparison still follows the blocks (by intention), and the
    report says how often the habit was kept in each."""
    plan = trial()
    found = report(plan, stretch_diary(plan, 0.3, 0.3, 6, kept=0.5), START + timedelta(weeks=8))
    with_kept, with_days, without_kept, without_days = found["kept"]
    assert (with_days, without_days) == (28, 28) and 0 < with_kept < 28 and 0 < without_kept < 28
    assert found["result"]["days"] == [28, 28]
    assert found["note"].endswith("about as often in both, so this compares the weeks more than the habit.")
    assert found["result"]["text"].startswith("No clear difference:")  # over: not "so far"


def test_with_no_effect_a_clear_difference_is_claimed_in_at_most_5_percent_of_experiments():
    rng = random.Random(7)
    claims = 0
    for seed in range(1000):
        blocks = [kind for _ in range(4) for kind in rng.sample(["with", "without"], 2)]
        plan = trial(blocks=blocks)
        claims += report(plan, stretch_diary(plan, 0.3, 0.3, seed),
                         START + timedelta(weeks=8))["result"]["clear"]
    assert claims <= 50, claims


def test_a_large_effect_is_found_in_most_experiments():
    found = [report(trial(), stretch_diary(trial(), 0.1, 0.6, seed), START + timedelta(weeks=8))
             ["result"] for seed in range(500)]
    assert sum(f["clear"] and f["upper"] < 1 for f in found) >= 400


def test_the_taper_is_kept_when_no_drink_comes_in_the_two_hours_before_bed():
    entries = [{"kind": "hydration", "occurred_at": "2024-06-03T19:00:00+01:00", "volume_ml": 250},
               {"kind": "hydration", "occurred_at": "2024-06-04T21:00:00+01:00", "volume_ml": 250},
               {"kind": "hydration", "occurred_at": "2024-06-06T00:30:00+01:00", "volume_ml": 250}]
    diary = patterns.Diary(entries, date(2024, 6, 8), sleep="22:30")
    assert [diary.tapered(date(2024, 6, d)) for d in (3, 4, 5)] == [True, False, True]
    late = patterns.Diary(entries, date(2024, 6, 8), sleep="01:00")  # bed after midnight
    assert [late.tapered(date(2024, 6, d)) for d in (3, 4, 5)] == [True, True, False]


# The push on the morning a block changes, through the worker and a real push service.

MONDAY = datetime(2024, 6, 10, 7, 5, tzinfo=UTC)  # 08:05 in London, an hour after waking at 07:00


def start(person, **changes):
    """Write the whole document from the person's device, on the version it last stored, as
    the app does."""
    base = getattr(person, "experiment_version", 0)
    mutation = put(person.next_id, "experiment", dict(PLAN, **changes), base=base,
                   entity="settings")
    person.next_id += 1
    [result] = person.device.push(mutation).get_json()["results"]
    assert result["status"] == "applied", result
    person.experiment_version = result["version"]


def test_the_morning_a_block_changes_each_browser_hears_it_once(person, service, vapid):  # noqa: F811
    person.settings(reminders_enabled=False)  # drink reminders off: the experiment's still come
    start(person)
    phone = person.subscribe()
    assert run(vapid, MONDAY)["sent"] == 1
    [message] = service.messages
    assert message.subscriber.endpoint == phone.endpoint
    assert message.payload["type"] == "experiment-reminder"
    assert message.payload["title"] == "Your experiment: block 2 of 8, for a week"
    assert message.payload["body"] == "Skip the evening routine (stretch a cramp as ever)."
    assert message.payload["url"] == "/#/patterns"
    assert run(vapid, MONDAY + timedelta(minutes=10))["sent"] == 0
    # Not on a day within a block, nor on the first day (the person has just chosen it).
    for day in (1, 3, -7):
        assert run(vapid, MONDAY + timedelta(days=day))["sent"] == 0
    assert len(service.messages) == 1


def test_the_last_morning_says_it_is_done(person, service, vapid):  # noqa: F811
    person.settings(reminders_enabled=False)
    start(person)
    person.subscribe()
    assert run(vapid, MONDAY + timedelta(weeks=7))["sent"] == 1
    assert service.messages[-1].payload["title"] == "Your experiment is over"


@pytest.mark.parametrize("changes, settings", [
    ({"remind": False}, {}),
    ({"stopped_on": "2024-06-08"}, {}),
    ({}, {"quiet_hours": [{"start": "07:30", "end": "10:00"}]}),
])
def test_no_morning_push_when_off_stopped_or_quiet(person, service, vapid, changes, settings):  # noqa: F811
    person.settings(reminders_enabled=False, **settings)
    start(person, **changes)
    person.subscribe()
    assert run(vapid, MONDAY)["sent"] == 0


def test_quiet_hours_move_the_morning_push_to_when_they_end(person, service, vapid):  # noqa: F811
    person.settings(reminders_enabled=False, quiet_hours=[{"start": "07:30", "end": "10:00"}])
    start(person)
    person.subscribe()
    assert run(vapid, MONDAY + timedelta(hours=2))["sent"] == 1  # 10:05 in London


def test_the_blocks_set_the_taper_and_pause_drink_reminders(person, service, vapid):  # noqa: F811
    person.settings(evening_taper=False)
    start(person, habit="evening-taper")
    with db.connection_context():
        user = person_id()
        assert hydration.settings_of(user, MONDAY - timedelta(days=1))["evening_taper"] is True
        assert hydration.settings_of(user, MONDAY)["evening_taper"] is False
        assert hydration.settings_of(user, MONDAY + timedelta(weeks=8))["evening_taper"] is False
    start(person, habit="drink-target")
    with db.connection_context():
        assert hydration.settings_of(user, MONDAY - timedelta(days=1))["reminders_enabled"] is True
        assert hydration.settings_of(user, MONDAY)["reminders_enabled"] is False
    person.subscribe()
    # Behind at noon in a block without the drinks target: only the experiment's news comes.
    run(vapid, MONDAY)
    assert run(vapid, MONDAY + timedelta(hours=5))["sent"] == 0
    assert [m.payload["type"] for m in service.messages] == ["experiment-reminder"]
    # Behind at noon in a block with it: the drink reminder comes again.
    assert run(vapid, MONDAY + timedelta(days=14, hours=5))["sent"] == 1
    assert service.messages[-1].payload["type"] == "hydration-reminder"


def person_id():
    return User.select().order_by(User.id.desc()).first()


def test_the_report_is_served_while_it_runs_without_an_answer(client, auth):
    """Through the API: the report is there while it runs, without an answer."""
    _, token = auth.register()
    today = datetime.now(UTC).date()
    plan = dict(PLAN, started_on=(today - timedelta(days=10)).isoformat())
    answer = Device(client, token).push(put(1, "experiment", plan, entity="settings")).get_json()
    assert answer["results"][0]["status"] == "applied"
    found = client.get("/api/v1/me/patterns", headers=auth.headers(token)).get_json()["experiment"]
    assert found["status"] == "running" and found["current"] == 1 and found["result"] is None
    assert found["blocks"][0] == {"kind": "with", "start": plan["started_on"],
                                  "end": (today - timedelta(days=4)).isoformat()}


def test_a_stale_stop_of_an_old_experiment_leaves_a_newer_one_alone(client, auth):
    """One phone stops the old experiment offline while another starts a new one: the new one
    stays whole; a stale stop of the same experiment still applies."""
    _, token = auth.register()
    phone, tablet = Device(client, token), Device(client, token)
    old = dict(PLAN, habit="evening-stretch")
    [first] = phone.push(put(1, "experiment", old, entity="settings")).get_json()["results"]
    new = dict(PLAN, habit="evening-taper", started_on="2024-07-01")
    [second] = tablet.push(put(1, "experiment", new, base=first["version"],
                               entity="settings")).get_json()["results"]
    assert second["status"] == "applied"
    [stale] = phone.push(put(2, "experiment", dict(old, stopped_on="2024-06-20"),
                             base=first["version"], entity="settings")).get_json()["results"]
    assert stale["status"] == "conflict" and stale["version"] == second["version"]
    [change] = [c for c in Device(client, token).pull_all() if c["entity"] == "settings"]
    assert change["data"] == dict(new, remind=True, stopped_on=None)
    [stop] = phone.push(put(3, "experiment", dict(new, stopped_on="2024-07-09"),
                            base=first["version"], entity="settings")).get_json()["results"]
    assert stop["status"] == "conflict"  # raced, but the same experiment: the stop is kept
    [change] = [c for c in Device(client, token).pull_all() if c["entity"] == "settings"]
    assert change["data"]["stopped_on"] == "2024-07-09"
