"""Reminder delivery: each device's Web Push subscription, and each reminder slot claimed."""

from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, JSONField

from server.db import BaseModel
from server.models.accounts import User, utcnow


class ReminderDelivery(BaseModel):
    """A reminder slot one worker has claimed for a person; the unique key is the claim."""

    id = AutoField()
    user = ForeignKeyField(User, backref="reminder_deliveries", on_delete="CASCADE")
    slot = CharField(max_length=40)
    payload = JSONField()
    created_at = DateTimeField(default=utcnow, index=True)
    expires_at = DateTimeField()

    class Meta:
        indexes = ((("user", "slot"), True),)

    @classmethod
    def last_for(cls, user_id):
        """Return when the person's latest reminder was claimed, or None."""
        return (cls.select(cls.created_at)
                .where(cls.user == user_id)
                .order_by(cls.created_at.desc())
                .scalar())


class PushSubscription(BaseModel):
    """One browser's push subscription; failing ones back off, and owe their latest reminder."""

    id = AutoField()
    user = ForeignKeyField(User, backref="push_subscriptions", on_delete="CASCADE")
    endpoint = CharField(max_length=2048, unique=True)
    p256dh = CharField(max_length=100)
    auth = CharField(max_length=40)
    expiration_time = DateTimeField(null=True)
    device_name = CharField(max_length=100, default="")
    created_at = DateTimeField(default=utcnow)
    last_sent_at = DateTimeField(null=True)
    failures = IntegerField(default=0)
    next_attempt_at = DateTimeField(null=True, index=True)
    pending = ForeignKeyField(ReminderDelivery, null=True, on_delete="SET NULL")

    @classmethod
    def of(cls, user):
        """Select a person's subscriptions, oldest first."""
        return cls.select().where(cls.user == user).order_by(cls.id)

    @classmethod
    def owed(cls, now):
        """Select subscriptions owed a reminder whose retry time has come."""
        return (cls.select()
                .where(cls.pending.is_null(False) & (cls.next_attempt_at <= now))
                .order_by(cls.next_attempt_at))

    def info(self):
        """Return the subscription as pywebpush wants it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
