"""Reminders: Web Push subscriptions and the claimed reminder slots."""

import datetime

import peewee as pw


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def migrate(migrator, database, fake=False, **kwargs):
    class User(pw.Model):
        id = pw.AutoField()

        class Meta:
            table_name = "user"

    @migrator.create_model
    class ReminderDelivery(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(User, backref="reminder_deliveries", on_delete="CASCADE")
        slot = pw.CharField(max_length=40)
        payload = pw.JSONField()
        created_at = pw.DateTimeField(default=_now, index=True)
        expires_at = pw.DateTimeField()

        class Meta:
            table_name = "reminder_delivery"
            indexes = ((("user", "slot"), True),)

    @migrator.create_model
    class PushSubscription(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(User, backref="push_subscriptions", on_delete="CASCADE")
        endpoint = pw.CharField(max_length=2048, unique=True)
        p256dh = pw.CharField(max_length=100)
        auth = pw.CharField(max_length=40)
        expiration_time = pw.DateTimeField(null=True)
        device_name = pw.CharField(max_length=100, default="")
        created_at = pw.DateTimeField(default=_now)
        last_sent_at = pw.DateTimeField(null=True)
        failures = pw.IntegerField(default=0)
        next_attempt_at = pw.DateTimeField(null=True, index=True)
        pending = pw.ForeignKeyField(ReminderDelivery, null=True, on_delete="SET NULL")

        class Meta:
            table_name = "push_subscription"


def rollback(migrator, database, fake=False, **kwargs):
    for name in ("push_subscription", "reminder_delivery"):
        migrator.remove_model(name)
