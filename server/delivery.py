"""Reminder delivery: the devices a person subscribed, and the worker's pass over who is due.

No Flask here. The database, not a lock in memory, decides who sends what, so any number of
workers may run at once:
- A new reminder is claimed by inserting its ReminderDelivery row, unique on (user, slot), in a
  transaction of its own; when two workers race, the second insert fails and it moves on.
- A retry is claimed by a compare-and-set on the subscription's `next_attempt_at` that moves it
  a lease ahead; only one worker's update matches.
Nothing is sent inside a transaction. A worker that dies between a claim and its send loses that
one reminder rather than risk sending it twice; one that dies after a retry's send and before
recording it may send that retry once more when the lease runs out.

A subscription the push service reports gone (404/410) is deleted. One that fails otherwise
backs off (1 minute, doubling, at most 6 hours, longer if the service asks with Retry-After)
and keeps the newest reminder it is owed, sent when the backoff ends if still fresh; after 12
failures in a row it is deleted.
"""

import random
from collections import Counter
from datetime import datetime, timedelta, timezone

from marshmallow import ValidationError
from peewee import IntegrityError

from server import experiment, hydration, push
from server.accounts import hash_token
from server.db import db, is_postgres
from server.errors import NotFound
from server.models.accounts import Token
from server.models.reminders import PushSubscription, ReminderDelivery

UTC = timezone.utc
LEASE = timedelta(minutes=5)
FIRST_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=6)
MAX_FAILURES = 12
KEEP_DELIVERIES = timedelta(days=2)
MAX_SUBSCRIPTIONS = 20


def stored(moment):
    """Return an aware instant in the stored form: naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def aware(value):
    """Return a stored naive UTC datetime as an aware one (None stays None)."""
    return value.replace(tzinfo=UTC) if value is not None else None


def vapid_for(config):
    """Return the VAPID keys the app's settings name (generated under VAR_DIR when unset)."""
    return push.load_vapid(config["VAR_DIR"], config["VAPID_SUBJECT"], config["VAPID_PRIVATE_KEY"])


def expiry(milliseconds):
    """Return a PushSubscription expirationTime (epoch milliseconds) as a stored datetime."""
    if milliseconds is None:
        return None
    return stored(datetime.fromtimestamp(milliseconds / 1000, UTC))


def subscribe(user, subscription, token, allow_loopback=False):
    """Store a browser's subscription for this person; return (row, created).

    An endpoint names one browser, so a second account signing in on it takes it over.
    """
    try:
        push.check_endpoint(subscription["endpoint"], allow_loopback)
    except push.EndpointRefused as refusal:
        raise ValidationError({"endpoint": [str(refusal)]}) from None
    endpoint = subscription["endpoint"]
    others = PushSubscription.of(user).where(PushSubscription.endpoint != endpoint)
    if others.count() >= MAX_SUBSCRIPTIONS:
        raise ValidationError({"endpoint": [f"At most {MAX_SUBSCRIPTIONS} devices can receive reminders."]})
    device = Token.get_or_none(Token.token_hash == hash_token(token))
    values = {
        "user": user, "p256dh": subscription["keys"]["p256dh"], "auth": subscription["keys"]["auth"],
        "expiration_time": expiry(subscription["expirationTime"]),
        "device_name": device.device_name if device else "",
        "failures": 0, "next_attempt_at": None, "pending": None,
    }
    with db.atomic():
        created = not PushSubscription.select().where(PushSubscription.endpoint == endpoint).exists()
        (PushSubscription
         .insert(endpoint=endpoint, **values)
         .on_conflict(conflict_target=[PushSubscription.endpoint],
                      update={getattr(PushSubscription, name): value for name, value in values.items()})
         .execute())
    return PushSubscription.get(PushSubscription.endpoint == endpoint), created


def unsubscribe(user, subscription_id):
    """Delete one of this person's subscriptions; 404 for anyone else's."""
    deleted = (PushSubscription
               .delete()
               .where((PushSubscription.id == subscription_id) & (PushSubscription.user == user))
               .execute())
    if not deleted:
        raise NotFound("No such subscription on this account.")


def backoff(failures, retry_after_s=None):
    """Return how long to wait after this many failures in a row, with a little jitter."""
    wait = min(FIRST_BACKOFF * 2 ** (failures - 1), MAX_BACKOFF) * random.uniform(1.0, 1.2)
    return max(wait, timedelta(seconds=retry_after_s or 0))


def claim(user_id, key, payload, now, ttl=timedelta(seconds=push.TTL_S)):
    """Claim a reminder for a person by its key; return the delivery, or None if another worker
    has it. It goes stale after `ttl`."""
    try:
        with db.atomic():
            return ReminderDelivery.create(
                user=user_id, slot=key, payload=payload,
                created_at=stored(now), expires_at=stored(now + ttl),
            )
    except IntegrityError:
        return None


def claim_retry(subscription, now):
    """Take a subscription's due retry for one lease; True only for the worker that got it."""
    taken = (PushSubscription
             .update(next_attempt_at=stored(now + LEASE))
             .where((PushSubscription.id == subscription.id)
                    & (PushSubscription.next_attempt_at == subscription.next_attempt_at)
                    & (PushSubscription.pending == subscription.pending_id))
             .execute())
    return taken == 1


def locked(subscription_id):
    """Fetch a subscription to record an outcome on, locking it on PostgreSQL."""
    query = PushSubscription.select().where(PushSubscription.id == subscription_id)
    return (query.for_update() if is_postgres() else query).first()


def record(subscription_id, delivery_id, outcome, now):
    """Store what became of one push; return "sent", "gone", "retry" or "dropped"."""
    with db.atomic():
        row = locked(subscription_id)
        if row is None:
            return "gone"
        if outcome.status == "gone" or (outcome.status == "retry" and row.failures + 1 >= MAX_FAILURES):
            row.delete_instance()
            return outcome.status if outcome.status == "gone" else "dropped"
        if outcome.status == "sent":
            owed_other = row.pending_id not in (None, delivery_id)
            row.failures, row.last_sent_at = 0, stored(now)
            row.next_attempt_at = stored(now) if owed_other else None
            row.pending = row.pending_id if owed_other else None
        else:
            row.failures += 1
            row.next_attempt_at = stored(now + backoff(row.failures, outcome.retry_after_s))
            # Owe the newest reminder: one claimed meanwhile beats the one that failed.
            row.pending = max(row.pending_id or 0, delivery_id)
        row.save()
    return outcome.status


def deliver(subscription, delivery, vapid, session, now):
    """Send one delivery to one subscription and record the outcome."""
    left = int((aware(delivery.expires_at) - now).total_seconds())
    outcome = push.send(subscription.info(), delivery.payload, vapid, session=session, ttl_s=max(0, left))
    return record(subscription.id, delivery.id, outcome, now)


def retry_owed(vapid, session, now, report):
    """Retry every subscription whose backoff has ended and which is owed a reminder."""
    for subscription in list(PushSubscription.owed(stored(now))):
        if not claim_retry(subscription, now):
            continue
        delivery = ReminderDelivery.get_or_none(ReminderDelivery.id == subscription.pending_id)
        if (delivery is None or delivery.expires_at <= stored(now)
                or not still_wanted(subscription.user_id, delivery, now)):
            (PushSubscription
             .update(pending=None, next_attempt_at=None)
             .where((PushSubscription.id == subscription.id)
                    & (PushSubscription.pending == subscription.pending_id))
             .execute())
            report["expired"] += 1
            continue
        report[deliver(subscription, delivery, vapid, session, now)] += 1


def still_wanted(user_id, delivery, now):
    """Tell whether an owed reminder should still go: its kind is still switched on."""
    if delivery.slot.startswith("experiment/"):
        plan = experiment.of(user_id)
        return bool(plan and plan.get("remind", True) and not plan.get("stopped_on"))
    return hydration.reminding(hydration.resolved(hydration.settings_of(user_id, now)))


def due(user_id, now, last_sent_at):
    """Return the person's reminders due now as (key, payload, time to live): the morning news
    of an experiment's block, and a drink reminder when they are behind."""
    settings = hydration.settings_of(user_id, now)
    found = []
    news = experiment.due_reminder(experiment.of(user_id), hydration.resolved(settings), now)
    if news:
        found.append((*news, experiment.TTL))
    if settings.get("reminders_enabled"):
        entries = hydration.entries_near(user_id, now)
        slot = hydration.due_reminder(settings, entries, now, last_sent_at)
        if slot is not None:
            found.append((slot.key, hydration.reminder_payload(settings, entries, slot, now),
                          timedelta(seconds=push.TTL_S)))
    return found


def remind(user_id, vapid, session, now, report):
    """Send a person's due reminders, each unless another worker has claimed it."""
    for key, payload, ttl in due(user_id, now, aware(ReminderDelivery.last_for(user_id))):
        delivery = claim(user_id, key, payload, now, ttl)
        if delivery is None:
            report["claimed elsewhere"] += 1
            continue
        report["due"] += 1
        for subscription in list(PushSubscription.of(user_id)):
            if subscription.next_attempt_at is not None and subscription.next_attempt_at > stored(now):
                # Backing off: owe it this reminder, to send when the backoff ends.
                (PushSubscription
                 .update(pending=delivery)
                 .where(PushSubscription.id == subscription.id)
                 .execute())
                report["deferred"] += 1
                continue
            report[deliver(subscription, delivery, vapid, session, now)] += 1


def run_once(vapid, now=None, allow_loopback=False):
    """Make one pass: forget old claims, retry what is owed, send what is due; return counts."""
    now = now or datetime.now(UTC)
    report = Counter()
    ReminderDelivery.delete().where(ReminderDelivery.created_at < stored(now - KEEP_DELIVERIES)).execute()
    with push.guarded_session(allow_loopback) as session:
        retry_owed(vapid, session, now, report)
        subscribed = PushSubscription.select(PushSubscription.user).distinct()
        for user_id in sorted(row.user_id for row in subscribed):
            remind(user_id, vapid, session, now, report)
    return report
