"""The sync guarantees as properties over random schedules of writes, faults and pulls.

Several devices of one person write offline, push with lost responses, duplicates, replays,
reordered batches and crashes mid-transaction, and pull in small pages in between. After every
schedule each mutation was applied exactly once, every device holds the server's state, the
state is what the writes imply, and no delete was lost.
"""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from schemas.entries import load_entry
from server import jsonio, sync
from server.db import db
from server.errors import Conflict
from server.models.accounts import User
from server.models.diary import Entry
from server.models.sync import Client
from tests.conftest import reset_schema
from tests.sync_helpers import cramp

DEVICES = 3
REAL_APPLY = sync._apply_one  # wrapped afresh for each example, never a wrapper of a wrapper
FAULTS = ("none", "lose_response", "duplicate", "crash", "reorder", "replay")

device = st.integers(0, DEVICES - 1)
actions = st.lists(st.one_of(
    st.tuples(st.just("create"), device),
    st.tuples(st.just("create"), device),
    st.tuples(st.just("edit"), st.integers(0, DEVICES - 1), st.integers(0, 20)),
    st.tuples(st.just("delete"), st.integers(0, DEVICES - 1), st.integers(0, 20)),
    st.tuples(st.just("push"), device, st.sampled_from(FAULTS), st.integers(1, 6)),
    st.tuples(st.just("push"), device, st.sampled_from(FAULTS), st.integers(1, 6)),
    st.tuples(st.just("pull"), st.integers(0, DEVICES - 1), st.integers(1, 4)),
), min_size=4, max_size=40)


class Crash(Exception):
    """Stands for a server dying in the middle of a push transaction."""


class Ledger:
    """Counts every mutation the server applied and kept (rolled-back work does not count)."""

    def __init__(self, real_apply):
        self.real_apply = real_apply
        self.kept, self.pending = [], []
        self.client_id = None
        self.crash_after = None

    def apply(self, user, raw):
        if self.crash_after is not None and len(self.pending) >= self.crash_after:
            raise Crash()
        result = self.real_apply(user, raw)
        self.pending.append((self.client_id, raw["id"]))
        return result

    def push(self, user, device, batch, crash_after=None):
        self.client_id, self.crash_after, self.pending = device.client_id, crash_after, []
        try:
            body = sync.push(user, device.client_id, batch)
        except Conflict as conflict:
            body = {"last_mutation_id": conflict.extra["last_mutation_id"],
                    "results": conflict.extra["results"]}
        except Crash:
            return None
        self.kept.extend(self.pending)
        return body


class Device:
    """A client: an outbox of numbered mutations and a local replica."""

    def __init__(self, index):
        self.index = index
        self.client_id = str(uuid.uuid4())
        self.next_id = 1
        self.outbox, self.sent = [], []
        self.replica = {}  # key -> {"version", "data"}
        self.owned = []
        self.cursor = 0

    def write(self, op, key, data=None):
        known = self.replica.get(key, {})
        mutation = {"id": self.next_id, "op": op, "entity": "entry", "key": key,
                    "base_version": known.get("version", 0)}
        if op == "put":
            mutation["data"] = data
            self.replica[key] = {"version": known.get("version", 0), "data": data}
        else:
            self.replica.pop(key, None)
        self.next_id += 1
        self.outbox.append(mutation)

    def acknowledge(self, body):
        done = {r["id"]: r for r in body["results"]}
        for mutation in self.outbox:
            result = done.get(mutation["id"])
            if result and mutation["op"] == "put" and mutation["key"] in self.replica \
                    and result.get("version") and not result.get("deleted"):
                self.replica[mutation["key"]]["version"] = result["version"]
        self.sent.extend(m for m in self.outbox if m["id"] <= body["last_mutation_id"])
        self.outbox = [m for m in self.outbox if m["id"] > body["last_mutation_id"]]

    def apply_pull(self, body):
        if body["reset"]:
            self.replica = {}
        for change in body["changes"]:
            if change["deleted"]:
                self.replica.pop(change["key"], None)
                if change["key"] in self.owned:
                    self.owned.remove(change["key"])
            else:
                self.replica[change["key"]] = {"version": change["version"],
                                               "data": change["data"]}
        self.cursor = body["cursor"]


def as_sent(body):
    """Return a pull's answer as a client reads it: entries travel as the JSON text stored."""
    return jsonio.loads(jsonio.dumps(body))


def run_schedule(schedule, ledger):
    user = User.create(email=f"{uuid.uuid4().hex}@example.org", password_hash="x",
                       display_name="P")
    devices = [Device(i) for i in range(DEVICES)]
    last_put, deleted = {}, set()
    for step in schedule:
        device = devices[step[1]]
        if step[0] == "create":
            key = str(uuid.uuid4())
            data = cramp(intensity=len(last_put) % 11, note=f"{device.index}-{device.next_id}")
            device.write("put", key, data)
            device.owned.append(key)
            last_put[key] = data
        elif step[0] == "edit" and device.owned:
            key = device.owned[step[2] % len(device.owned)]
            data = cramp(muscle="foot", intensity=step[2] % 11, note=f"edit-{device.next_id}")
            device.write("put", key, data)
            last_put[key] = data
        elif step[0] == "delete" and device.replica:
            key = sorted(device.replica)[step[2] % len(device.replica)]
            device.write("delete", key)
            deleted.add(key)
            if key in device.owned:
                device.owned.remove(key)
        elif step[0] == "push" and device.outbox:
            push_with_fault(ledger, user, device, step[2], step[3])
        elif step[0] == "pull":
            device.apply_pull(as_sent(sync.pull(user, device.client_id, device.cursor, step[2])))
    for device in devices:  # back online for good: every queue drains
        while device.outbox:
            device.acknowledge(ledger.push(user, device, device.outbox[:5]))
    for device in devices:
        body = {"has_more": True}
        while body["has_more"]:
            body = as_sent(sync.pull(user, device.client_id, device.cursor, 3))
            device.apply_pull(body)
    return user, devices, last_put, deleted


def push_with_fault(ledger, user, device, fault, size):
    batch = device.outbox[:size]
    if fault == "lose_response":
        ledger.push(user, device, batch)  # committed, but the answer never arrives
    elif fault == "crash":
        crash_after = len(batch) // 2
        body = ledger.push(user, device, batch, crash_after=crash_after)
        if body is not None:  # too few new mutations in it to reach the crash
            fresh = [r for r in body["results"] if r["status"] != "duplicate"]
            assert len(fresh) <= crash_after
            device.acknowledge(body)
    elif fault == "reorder":
        device.acknowledge(ledger.push(user, device, list(reversed(batch))))
    elif fault == "replay" and device.sent:
        body = ledger.push(user, device, device.sent[-size:])
        assert {r["status"] for r in body["results"]} == {"duplicate"}
    else:
        body = ledger.push(user, device, batch)
        if fault == "duplicate":
            body = ledger.push(user, device, batch)
        device.acknowledge(body)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(schedule=actions)
def test_sync_converges_exactly_once(app, monkeypatch, schedule):
    with db.connection_context():
        reset_schema()
        ledger = Ledger(REAL_APPLY)
        monkeypatch.setattr(sync, "_apply_one", ledger.apply)
        user, devices, last_put, deleted = run_schedule(schedule, ledger)

        created = {(d.client_id, m) for d in devices for m in range(1, d.next_id)}
        assert sorted(ledger.kept) == sorted(created)  # each mutation applied exactly once
        for device in devices:
            assert Client.get_by_id(device.client_id).last_mutation_id == device.next_id - 1

        server = {e.key: e.data for e in Entry.select().where(
            (Entry.user == user) & (Entry.deleted == False))}  # noqa: E712
        expected = {k: load_entry(v) for k, v in last_put.items() if k not in deleted}
        assert server == expected
        for device in devices:
            assert {k: v["data"] for k, v in device.replica.items()} == server
        tombstones = {e.key for e in Entry.select().where(Entry.deleted == True)}  # noqa: E712
        assert deleted <= tombstones | (deleted - set(last_put))
