"""The window index (redflags.Marks) counts what a walk over the window would count: every
cramp, the severe ones, the distinct days and nights, at the edges of the window too."""

import datetime
import random

import pytest

from server.redflags import DAY_S, Episodes, Marks, mark_of

NOW = datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.timezone.utc)
OFFSETS = [datetime.timedelta(hours=h, minutes=m) for h, m in
           ((0, 0), (1, 0), (-5, 0), (5, 30), (14, 0), (-14, 0), (23, 59), (-23, -59), (-9, -30))]


def cramp(rng, moment):
    return {"kind": "cramp", "occurred_at": moment.isoformat(), "context": rng.choice(["night", "rest"]),
            "intensity": rng.choice([0, 6, 7, 10]), "duration_s": rng.choice([None, 119, 120, 600])}


def diary(seed):
    """An entry and up to 60 other cramps, some exactly on the edges of its windows."""
    rng = random.Random(seed)
    zone = datetime.timezone(rng.choice(OFFSETS))
    entry_at = (NOW - datetime.timedelta(seconds=rng.uniform(0, 3 * DAY_S))).astimezone(zone)
    entry = cramp(rng, entry_at)
    others = []
    for _ in range(rng.choice([0, 5, 20, 60])):
        if rng.random() < 0.2:  # on an edge: a whole number of days before the entry
            at = entry_at - datetime.timedelta(days=rng.choice([7, 14, 28]), seconds=rng.choice([-1, 0, 1]))
        else:
            at = entry_at - datetime.timedelta(seconds=rng.uniform(-DAY_S, 30 * DAY_S))
        others.append(cramp(rng, at.astimezone(datetime.timezone(rng.choice(OFFSETS)))))
    return entry, others


def walked(entry, others):
    """Each count as a walk over the window would give it: (stamp, mark) of every episode."""
    own = mark_of(entry)
    episodes = [own] + [mark for mark in map(mark_of, others) if mark.stamp <= own.stamp]

    def inside(days, offset_days=0):
        end = own.stamp - offset_days * DAY_S
        return [m for m in episodes if end - days * DAY_S < m.stamp <= end]
    return inside, own


@pytest.mark.parametrize("seed", range(300))
def test_the_index_counts_what_a_walk_over_the_window_counts(seed):
    entry, others = diary(seed)
    episodes = Episodes(entry, Marks((i, mark_of(item)) for i, item in enumerate(others)), NOW)
    inside, own = walked(entry, others)
    for days in (7, 14, 28):
        assert episodes.count(days) == len(inside(days))
        assert episodes.count(days, offset_days=days) == len(inside(days, days))
        assert episodes.days(days) == len({m.day for m in inside(days)})
        assert episodes.nights(days) == len({m.night for m in inside(days) if m.at_night})
        assert episodes.count_severe(days, 7, 120) == len(
            [m for m in inside(days) if m.intensity >= 7 and m.duration_s >= 120])


def test_removing_and_adding_back_keeps_the_counts():
    entry, others = diary(7)
    marks = Marks((i, mark_of(item)) for i, item in enumerate(others))
    before = Episodes(entry, marks, NOW)
    counts = (before.count(28), before.days(28), before.nights(7), before.count_severe(7, 7, 120))
    for i, item in enumerate(others):
        marks.remove(i)
    assert len(marks) == 0 and marks.stamps == [] and marks.day_numbers == [] and marks.days == {}
    for i, item in enumerate(others):
        marks.add(i, mark_of(item))
        marks.add(i, mark_of(item))  # the same key twice counts once
    after = Episodes(entry, marks, NOW)
    assert (after.count(28), after.days(28), after.nights(7), after.count_severe(7, 7, 120)) == counts


def test_a_new_database_keeps_nothing_from_the_last_one(app, client, auth):
    from server import batch, create_app
    from tests.sync_helpers import Device, put

    device = Device(client, auth.register()[1])
    recent = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)).isoformat()
    assert device.push(put(1, data={"kind": "cramp", "occurred_at": recent, "muscle": "calf"})).status_code == 200
    assert batch._kept  # the person's index is kept for their next push
    create_app({"DATABASE_URL": app.config["DATABASE_URL"], "TESTING": True})
    assert not batch._kept
