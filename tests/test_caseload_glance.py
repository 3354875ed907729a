"""The patient list counts episodes and warning signs in SQL over the entries' kept columns
and reads a few fields of routine logs; it must weigh exactly as whole entries do, and name
the same latest entry time."""

import datetime
import random
import uuid

import pytest

from server import attention, caseload, sync
from server.models.accounts import User
from server.models.diary import Entry

UTC = datetime.timezone.utc
ROUTINES = ("calf-length", "night-stretch")
# Signs that see a doctor, get help today, and call an ambulance.
SIGNS = (["numbness"], ["calf_swollen_warm"], ["collapse"])


def diary(rng, now, count):
    """A month of cramps (some with signs ticked), drinks and routine logs, some half done, a
    few dated up to a day ahead by a phone's wrong clock."""
    entries = []
    for _ in range(count):
        offset = datetime.timezone(datetime.timedelta(hours=rng.choice((-8, 0, 2, 13))))
        moment = (now - datetime.timedelta(days=rng.uniform(-1, 35))).astimezone(offset)
        stamp = moment.replace(microsecond=0).isoformat()
        roll = rng.random()
        if roll < 0.4:
            entries.append({"kind": "cramp", "occurred_at": stamp, "muscle": "calf",
                            "side": "left", "intensity": rng.randint(0, 10),
                            "duration_s": rng.choice((30, 200, 700)),
                            "context": rng.choice(("night", "rest", "exercise")),
                            "red_flags": rng.choice(SIGNS) if rng.random() < 0.15 else []})
        elif roll < 0.7:
            entries.append({"kind": "hydration", "occurred_at": stamp, "volume_ml": 250})
        else:
            total = rng.choice((3, 4, 5))
            entries.append({"kind": "routine", "occurred_at": stamp,
                            "routine": rng.choice(ROUTINES), "total_steps": total,
                            "completed_steps": rng.randint(0, total)})
    return entries


@pytest.mark.parametrize("seed", range(3))
def test_glances_weigh_as_whole_entries_do(app, seed):
    rng = random.Random(seed)
    now = datetime.datetime.now(UTC)
    plan = [{"title": "Calves", "start_date": (now - datetime.timedelta(days=30)).date(),
             "phases": [{"routines": [ROUTINES[0]], "sessions_per_week": 5,
                         "start_date": (now - datetime.timedelta(days=30)).date(),
                         "end_date": None}]}]
    with app.app_context():
        ids = []
        for number in range(4):
            person = User.create(email=f"{uuid.uuid4().hex}@example.org", password_hash="x",
                                 display_name=f"P{number}")
            mutations = [{"id": i + 1, "op": "put", "entity": "entry", "key": str(uuid.uuid4()),
                          "base_version": 0, "data": data}
                         for i, data in enumerate(diary(rng, now, 120))]
            sync.push(person, str(uuid.uuid4()), mutations)
            ids.append(person.id)
        since = (now - datetime.timedelta(days=28)).replace(tzinfo=None)
        whole = caseload.entries_between(ids, since=since)
        # Two patients reviewed nine days ago, two never: each is cut at their own time.
        reviews = {pid: now - datetime.timedelta(days=9) for pid in ids[::2]}
        counted, latest = caseload.tallies(ids, since, now, reviews, assigned=ids)
    reasons = set()
    for pid in ids:
        want = attention.tally(whole[pid], now, attention.flagged_since(reviews.get(pid), now))
        assert counted[pid].warnings == want.warnings
        assert (counted[pid].recent, counted[pid].earlier, counted[pid].intense) == (
            want.recent, want.earlier, want.intense)
        assert len(counted[pid].routines) == len(want.routines)
        verdict = attention.assess(whole[pid], now=now, reviewed_at=reviews.get(pid),
                                   assignments=plan)
        assert attention.weigh(counted[pid], now=now, assignments=plan) == verdict
        reasons |= {reason.code for reason in verdict.reasons}
        assert latest[pid] == max(map(attention.insights.when, whole[pid]))
    # The diaries reach every reason the entries decide: a comparison of empty verdicts proves nothing.
    assert {"red_flags", "high_intensity", "low_adherence"} <= reasons
