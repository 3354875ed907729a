"""The reminder worker: due reminders reach the push service once, gone ones go, failures retry."""

import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import pytest

from server import delivery
from server.db import db
from server.models.reminders import PushSubscription, ReminderDelivery
from server.reminders import Slot
from tests.pushservice import PushService
from tests.sync_helpers import Device, put

UTC = timezone.utc
NOW = datetime(2024, 6, 12, 12, 5, tzinfo=UTC)  # 13:05 in London, five minutes after a slot
SLOT = "hydration/2024-06-12T12:00Z"
LONDON = {"timezone": "Europe/London", "reminders_enabled": True}


@pytest.fixture
def service():
    with PushService() as running:
        yield running


@pytest.fixture
def vapid(app):
    return delivery.vapid_for(app.config)


@pytest.fixture
def person(app, client, auth, service, vapid):
    """A member with hydration settings and one subscribed browser; returns a helper."""
    app.config["PUSH_ALLOW_LOOPBACK"] = True
    _, token = auth.register()
    return Person(client, auth, token, service, vapid)


class Person:
    """A member who syncs settings and drinks and subscribes browsers, through the API."""

    def __init__(self, client, auth, token, service, vapid):
        self.client, self.auth, self.token, self.service = client, auth, token, service
        self.device = Device(client, token)
        self.next_id = 1
        self.key = delivery.push.public_key_b64url(vapid)

    def sync(self, *items):
        """Push settings or entries as the PWA would."""
        mutations = []
        for entity, key, data in items:
            mutations.append(put(self.next_id, key, data, entity=entity))
            self.next_id += 1
        results = self.device.push(*mutations).get_json()["results"]
        assert {result["status"] for result in results} == {"applied"}

    def settings(self, **data):
        self.sync(("settings", "hydration", dict(LONDON, **data)))

    def drink(self, when, ml):
        self.sync(("entry", None, {"kind": "hydration", "occurred_at": when, "volume_ml": ml, "drink": "water"}))

    def subscribe(self):
        """Subscribe a new browser; return its subscriber."""
        subscriber = self.service.subscribe(self.key)
        response = self.client.post("/api/v1/push/subscriptions", json=subscriber.subscription(),
                                    headers=self.auth.headers(self.token))
        assert response.status_code == 201, response.get_json()
        return subscriber


def run(vapid, now=NOW):
    """Make one worker pass on a connection of its own."""
    with db.connection_context():
        return delivery.run_once(vapid, now=now, allow_loopback=True)


def subscriptions():
    with db.connection_context():
        return list(PushSubscription.select().order_by(PushSubscription.id))


def test_a_due_reminder_reaches_every_browser_once(person, service, vapid):
    person.settings()
    phone, laptop = person.subscribe(), person.subscribe()
    report = run(vapid)
    assert report["sent"] == 2
    assert sorted(m.subscriber.endpoint for m in service.messages) == sorted([phone.endpoint, laptop.endpoint])
    assert {m.payload["slot"] for m in service.messages} == {SLOT}
    assert all(m.payload["type"] == "hydration-reminder" for m in service.messages)
    assert run(vapid, NOW + timedelta(minutes=1))["sent"] == 0
    assert len(service.messages) == 2


@pytest.mark.parametrize("settings, drunk_ml", [
    ({"reminders_enabled": False}, 0),
    ({}, 400),
    ({"quiet_hours": [{"start": "12:30", "end": "14:00"}]}, 0),
])
def test_nothing_is_sent_when_off_on_track_or_quiet(person, service, vapid, settings, drunk_ml):
    person.settings(**settings)
    if drunk_ml:
        person.drink("2024-06-12T10:00:00+01:00", drunk_ml)
    person.subscribe()
    assert run(vapid)["sent"] == 0
    assert service.attempts == []


def test_two_workers_send_one_reminder_once(person, service, vapid):
    person.settings()
    person.subscribe()
    start = threading.Barrier(2)
    reports = []

    def work():
        with db.connection_context():
            start.wait()
            reports.append(delivery.run_once(vapid, now=NOW, allow_loopback=True))

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(service.messages) == 1
    assert sum(report["sent"] for report in reports) == 1
    with db.connection_context():
        assert [row.slot for row in ReminderDelivery.select()] == [SLOT]


def test_a_slot_is_claimed_by_exactly_one_of_many(person):
    with db.connection_context():
        user_id = owner_id()
    start = threading.Barrier(6)
    claims = []
    slot = Slot(NOW - timedelta(minutes=5), "regular")

    def work():
        with db.connection_context():
            start.wait()
            claims.append(delivery.claim(user_id, slot.key, {"n": 1}, NOW))

    workers = [threading.Thread(target=work) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(claims) == 6
    assert sum(claim is not None for claim in claims) == 1


def owner_id():
    """Return the id of the only member."""
    from server.models.accounts import User

    return User.select(User.id).scalar()


def test_two_worker_processes_send_one_reminder_once(person, service, app):
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    wake = now - timedelta(minutes=40)
    # Waking 40 minutes ago with a slot every 30: one slot fell 10 minutes ago, well behind pace.
    person.settings(timezone="UTC", wake=f"{wake:%H:%M}", sleep=f"{wake + timedelta(hours=6):%H:%M}",
                    interval_min=30, baseline_ml=3000)
    person.subscribe()
    env = dict(os.environ, UNKNOT_DATABASE_URL=app.config["DATABASE_URL"], UNKNOT_VAR_DIR=app.config["VAR_DIR"],
               UNKNOT_PUSH_ALLOW_LOOPBACK="true", UNKNOT_LOG_LEVEL="WARNING")
    command = [sys.executable, "-c", "from server.cli import main; main()", "worker", "--once"]
    workers = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert len(service.messages) == 1
    assert sum("1 sent" in out for out, _ in outputs) == 1


def test_a_gone_subscription_is_removed(person, service, vapid):
    person.settings()
    gone, kept = person.subscribe(), person.subscribe()
    service.answer(410, gone)
    report = run(vapid)
    assert report["gone"] == 1 and report["sent"] == 1
    assert [row.endpoint for row in subscriptions()] == [kept.endpoint]


def test_a_failure_backs_off_then_retries_the_same_reminder(person, service, vapid):
    person.settings()
    person.subscribe()
    service.answer(500)
    assert run(vapid)["retry"] == 1
    [row] = subscriptions()
    assert row.failures == 1 and row.pending_id is not None
    assert timedelta(minutes=1) <= row.next_attempt_at - NOW.replace(tzinfo=None) <= timedelta(minutes=1.2)
    service.reset()
    assert run(vapid, NOW + timedelta(seconds=30))["sent"] == 0
    assert run(vapid, NOW + timedelta(minutes=2))["sent"] == 1
    [message] = service.messages
    assert message.payload["slot"] == SLOT
    [row] = subscriptions()
    assert (row.failures, row.pending_id, row.next_attempt_at) == (0, None, None)
    assert run(vapid, NOW + timedelta(minutes=3))["sent"] == 0


def test_a_fluid_limit_set_while_a_retry_is_owed_cancels_it(person, service, vapid):
    person.settings()
    person.subscribe()
    service.answer(500)
    assert run(vapid)["retry"] == 1
    service.reset()
    # A second put of the settings from the same device merges onto the first.
    answer = person.device.push(put(person.next_id, "hydration", {"fluid_limit_ml": 1500},
                                    entity="settings")).get_json()
    assert answer["results"][0]["status"] in ("applied", "conflict")
    report = run(vapid, NOW + timedelta(minutes=2))
    assert report["sent"] == 0 and report["expired"] == 1 and service.messages == []
    [row] = subscriptions()
    assert row.pending_id is None


def test_two_workers_retry_an_owed_reminder_once(person, service, vapid):
    person.settings()
    person.subscribe()
    service.answer(500)
    run(vapid)
    service.reset()
    start = threading.Barrier(2)
    reports = []

    def work():
        with db.connection_context():
            start.wait()
            reports.append(delivery.run_once(vapid, now=NOW + timedelta(minutes=2), allow_loopback=True))

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(service.messages) == 1
    assert sum(report["sent"] for report in reports) == 1


def test_a_retry_is_claimed_by_one_worker_only(person, service, vapid):
    person.settings()
    person.subscribe()
    service.answer(500)
    run(vapid)
    with db.connection_context():
        [seen] = PushSubscription.owed(NOW.replace(tzinfo=None) + timedelta(minutes=2))
        later = NOW + timedelta(minutes=2)
        assert [delivery.claim_retry(seen, later), delivery.claim_retry(seen, later)] == [True, False]


def test_an_outcome_for_a_vanished_subscription_changes_nothing(person, vapid):
    with db.connection_context():
        assert delivery.record(12345, 1, delivery.push.Outcome("sent", 201), NOW) == "gone"
        assert PushSubscription.select().count() == 0


def test_retry_after_is_honoured(person, service, vapid):
    person.settings()
    person.subscribe()
    service.answer(503, headers={"Retry-After": "900"})
    run(vapid)
    [row] = subscriptions()
    assert row.next_attempt_at - NOW.replace(tzinfo=None) >= timedelta(minutes=15)


def test_a_stale_owed_reminder_is_dropped_not_sent_late(person, service, vapid):
    person.settings(interval_min=60)
    person.subscribe()
    service.answer(500)
    run(vapid, NOW)
    service.reset()
    report = run(vapid, NOW + timedelta(minutes=45))
    assert report["expired"] == 1 and service.messages == []
    [row] = subscriptions()
    assert row.pending_id is None and row.failures == 1


def test_a_backing_off_browser_is_owed_the_newest_reminder(person, service, vapid):
    person.settings(interval_min=30)
    person.subscribe()
    service.answer(500)
    run(vapid, NOW)
    with db.connection_context():
        PushSubscription.update(next_attempt_at=datetime(2024, 6, 12, 13, 0)).execute()
    report = run(vapid, NOW + timedelta(minutes=30))
    assert report["deferred"] == 1 and report["retry"] == 0
    [row] = subscriptions()
    with db.connection_context():
        assert ReminderDelivery.get_by_id(row.pending_id).slot == "hydration/2024-06-12T12:30Z"


def test_a_browser_failing_for_a_day_is_dropped(person, service, vapid):
    person.settings()
    person.subscribe()
    with db.connection_context():
        PushSubscription.update(failures=delivery.MAX_FAILURES - 1).execute()
    service.answer(500)
    assert run(vapid)["dropped"] == 1
    assert subscriptions() == []


def test_old_claims_are_forgotten(person, vapid):
    person.settings(reminders_enabled=False)
    person.subscribe()
    with db.connection_context():
        ReminderDelivery.create(user=owner_id(), slot="hydration/2024-06-01T12:00Z", payload={},
                                created_at=datetime(2024, 6, 1, 12, 0), expires_at=datetime(2024, 6, 1, 12, 30))
    run(vapid)
    with db.connection_context():
        assert ReminderDelivery.select().count() == 0


@pytest.mark.parametrize("failures, at_least, at_most", [
    (1, timedelta(minutes=1), timedelta(minutes=1.2)),
    (4, timedelta(minutes=8), timedelta(minutes=9.6)),
    (30, delivery.MAX_BACKOFF, delivery.MAX_BACKOFF * 1.2),
])
def test_backoff_doubles_up_to_a_ceiling(failures, at_least, at_most):
    assert at_least <= delivery.backoff(failures) <= at_most


def test_the_worker_command_reports_nothing_due(app, service):
    env = dict(os.environ, UNKNOT_DATABASE_URL=app.config["DATABASE_URL"], UNKNOT_VAR_DIR=app.config["VAR_DIR"])
    command = [sys.executable, "-c", "from server.cli import main; main()", "worker", "--once"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Nothing due."
