"""Two devices of one person pushing at the same moment get what sequential pushes would get.

Each round releases two pushes together through a barrier, each on its own thread with its own
test client and so its own database connection (PostgreSQL when UNKNOT_TEST_DATABASE_URL is set).
"""

import threading
import uuid

import pytest

from server.db import db
from server.models.diary import Entry, Setting
from tests.sync_helpers import Device, put

ROUNDS = 40
WHEN = "2026-11-20T23:10:00+01:00"


def race(*pushes):
    """Run each (device, mutations) push on its own thread, released together; return answers."""
    start = threading.Barrier(len(pushes))
    answers = [None] * len(pushes)

    def send(index, device, mutations):
        start.wait()
        answers[index] = device.push(*mutations)

    threads = [threading.Thread(target=send, args=(index, *push))
               for index, push in enumerate(pushes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.fixture
def devices(app, auth):
    """Two devices of one member, each with its own test client (and connection)."""
    user, token = auth.register()
    other = auth.login(user["email"], device_name="tablet")
    return Device(app.test_client(), token), Device(app.test_client(), other)


def results(answers):
    """Return each answer's results, failing with the body of any answer that is not a 200."""
    assert [answer.status_code for answer in answers] == [200] * len(answers), \
        [answer.get_json() for answer in answers]
    return [answer.get_json()["results"] for answer in answers]


def test_two_devices_creating_one_entry_merge_like_sequential_pushes(devices):
    one, two = devices
    for round_ in range(1, ROUNDS + 1):
        key = str(uuid.uuid4())
        first, second = results(race(
            (one, [put(round_, key, {"kind": "cramp", "occurred_at": WHEN, "muscle": "calf",
                                     "note": "from one"})]),
            (two, [put(round_, key, {"kind": "cramp", "occurred_at": WHEN, "muscle": "calf",
                                     "intensity": 3})])))
        # The later push merges onto the earlier one's entry, made after its base of 0.
        assert sorted(result["status"] for result in first + second) == ["applied", "conflict"]
        with db.connection_context():
            entry = Entry.get_by_id(key)
        assert entry.version == max(result["version"] for result in first + second)
        assert (entry.data["note"], entry.data["intensity"]) == ("from one", 3)


def test_two_devices_making_the_first_settings_merge_like_sequential_pushes(devices):
    one, two = devices
    for round_ in range(1, ROUNDS + 1):
        first, second = results(race(
            (one, [put(round_, "preferences", {"night_mode": "on"}, entity="settings")]),
            (two, [put(round_, "preferences", {"drink_ml": 300}, entity="settings")])))
        assert sorted(result["status"] for result in first + second) == ["applied", "conflict"]
        with db.connection_context():
            setting = Setting.get(Setting.name == "preferences")
            assert (setting.data["night_mode"], setting.data["drink_ml"]) == ("on", 300)
            # Start the next round from no settings at all.
            Setting.delete().execute()


def test_entry_then_settings_against_settings_then_entry_never_deadlocks(devices):
    one, two = devices
    assert results([one.push(put(1, "preferences", {}, entity="settings"))])
    for round_ in range(ROUNDS):
        with db.connection_context():
            base = Setting.get(Setting.name == "preferences").version
        keys = [str(uuid.uuid4()), str(uuid.uuid4())]
        ids = 2 * round_  # device one sent id 1 before the rounds, device two nothing
        first, second = results(race(
            (one, [put(ids + 2, keys[0]),
                   put(ids + 3, "preferences", {"night_mode": "on"}, base, "settings")]),
            (two, [put(ids + 1, "preferences", {"night_mode": "off"}, base, "settings"),
                   put(ids + 2, keys[1])])))
        assert [first[0]["status"], second[1]["status"]] == ["applied", "applied"]
        # Whichever settings put came second had the first one's version to beat: a conflict.
        mine, theirs = first[1], second[0]
        assert sorted([mine["status"], theirs["status"]]) == ["applied", "conflict"]
        later = max(mine, theirs, key=lambda result: result["version"])
        with db.connection_context():
            setting = Setting.get(Setting.name == "preferences")
            assert Entry.select().where(Entry.key.in_(keys)).count() == 2
        assert setting.version == later["version"]
        assert setting.data["night_mode"] == ("on" if later is mine else "off")


def test_two_people_creating_one_key_get_what_sequential_pushes_get(app, auth):
    # Keys are the devices' own UUIDs, so only a broken or hostile client sends another's key.
    one, two = (Device(app.test_client(), auth.register()[1]) for _ in range(2))
    for round_ in range(1, ROUNDS + 1):
        key = str(uuid.uuid4())
        first, second = results(race((one, [put(round_, key)]), (two, [put(round_, key)])))
        assert sorted(result["status"] for result in first + second) == ["applied", "rejected"]
        rejected = next(result for result in first + second if result["status"] == "rejected")
        assert list(rejected["fields"]) == ["key"]
