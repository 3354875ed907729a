"""The window index a push keeps between pushes judges exactly as a walk over every stored cramp.

A person's pushes reuse the index the last one left (server/batch.py) and extend it downwards
when an episode reaches further back; the push's own writes reach the database only at the end.
Each case replays random pushes (new cramps recent and weeks old, edits that move or change a
cramp, kind changes, deletes, and writes from a second app server that keeps its own index) and
checks every assessment against one computed from scratch over the person's cramps so far.
"""

import datetime
import random
import uuid

import pytest

from schemas.entries import load_entry
from server import batch, redflags, sync
from server.models.accounts import User
from tests.sync_helpers import Device, delete, put

CONTEXTS = ("night", "night", "night", "rest", "exercise")


def random_cramp(rng, now):
    """A full cramp (every field set, so a merged edit equals what was sent), recent or weeks old."""
    days = rng.uniform(0.05, 26.5) if rng.random() < 0.7 else rng.uniform(29.5, 58)
    offset = datetime.timezone(datetime.timedelta(hours=rng.choice((-5, 0, 1, 2, 9))))
    moment = (now - datetime.timedelta(days=days)).astimezone(offset).replace(microsecond=0)
    return {"kind": "cramp", "occurred_at": moment.isoformat(), "muscle": "calf",
            "side": "left", "intensity": rng.randint(1, 10),
            "duration_s": rng.choice((20, 60, 150, 400, 700)),
            "context": rng.choice(CONTEXTS), "triggers": [], "reliefs": [], "red_flags": [],
            "note": ""}


def expected_assessment(data, key, live, now):
    """Judge a cramp against every other live cramp, with no index kept from anywhere."""
    entry = load_entry(data)
    moment = redflags.parse_time(entry["occurred_at"])
    patterns = redflags.judges_patterns(moment, now)
    others = redflags.Marks((other, redflags.mark_of(item)) for other, item in live.items()
                            if other != key) if patterns else redflags.Marks()
    assessment = redflags.assess_marks(entry, others, now, moment=moment, patterns=patterns)
    return assessment if assessment["flags"] else None


def other_server_push(app, user_id, mutations):
    """Push as a second app server would: it keeps its own index, not this process's."""
    ours = dict(batch._kept)
    try:
        with app.app_context():
            user = User.get_by_id(user_id)
            return sync.push(user, str(uuid.uuid4()), mutations)["results"]
    finally:
        batch.forget_all()
        batch._kept.update(ours)


@pytest.mark.parametrize("seed", range(10))
def test_every_push_judges_as_if_nothing_were_kept(app, client, auth, seed):
    rng = random.Random(seed)
    now = datetime.datetime.now(datetime.timezone.utc)
    user, token = auth.register()
    device = Device(client, token)
    live, versions, mutation_id = {}, {}, 0
    judged = flagged = 0
    for _ in range(14):
        if rng.random() < 0.25:
            # The same person's other device, through another server, between two pushes.
            data = random_cramp(rng, now)
            key = str(uuid.uuid4())
            [result] = other_server_push(app, user["id"], [put(1, key=key, data=data)])
            live[key], versions[key] = data, result["version"]
        mutations, expected, deleted = [], [], set()
        for _ in range(rng.randint(1, 12)):
            mutation_id += 1
            roll = rng.random()
            # Keys deleted in this push stay deleted: a put with an older base loses to them.
            known = sorted(set(versions) - deleted)
            if known and roll < 0.12:
                key = rng.choice(known)
                mutations.append(delete(mutation_id, key, base=versions[key]))
                live.pop(key, None)
                deleted.add(key)
                expected.append(None)
                continue
            if known and roll < 0.35:
                key = rng.choice(known)  # an edit: moved, changed, or no longer a cramp
            else:
                key = str(uuid.UUID(int=rng.getrandbits(128)))
            if rng.random() < 0.1:
                data = {"kind": "hydration", "occurred_at": now.isoformat(), "volume_ml": 250}
                live.pop(key, None)
                expected.append(None)
            else:
                data = random_cramp(rng, now)
                expected.append(expected_assessment(data, key, live, now))
                live[key] = data
            mutations.append(put(mutation_id, key=key, data=data, base=versions.get(key, 0)))
        response = device.push(*mutations)
        assert response.status_code == 200, response.get_json()
        for mutation, result, want in zip(mutations, response.get_json()["results"], expected):
            # A key put twice in one push carries a stale base the second time: a conflict,
            # stored all the same, and every field is sent, so the merge is the data sent.
            assert result["status"] in ("applied", "conflict"), result
            assert result.get("assessment") == want, (mutation, result)
            versions[mutation["key"]] = result["version"]
            judged += mutation["op"] == "put"
            flagged += want is not None
    # The diaries reach the pattern rules: a run that never raised one would prove nothing.
    assert flagged >= 5 and judged >= 50
