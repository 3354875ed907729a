"""Accounts, device tokens, sync bookkeeping, diary entries and settings."""

import datetime

import peewee as pw


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def migrate(migrator, database, fake=False, **kwargs):
    @migrator.create_model
    class User(pw.Model):
        id = pw.AutoField()
        email = pw.CharField(max_length=254, unique=True)
        password_hash = pw.CharField(max_length=255)
        display_name = pw.CharField(max_length=100)
        role = pw.CharField(max_length=16, default="member")
        created_at = pw.DateTimeField(default=_now)

        class Meta:
            table_name = "user"

    @migrator.create_model
    class Token(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
        token_hash = pw.CharField(max_length=64, unique=True)
        device_name = pw.CharField(max_length=100, default="")
        created_at = pw.DateTimeField(default=_now)
        last_used_at = pw.DateTimeField(default=_now)
        expires_at = pw.DateTimeField()
        revoked = pw.BooleanField(default=False)

        class Meta:
            table_name = "token"

    @migrator.create_model
    class Counter(pw.Model):
        name = pw.CharField(max_length=32, primary_key=True)
        value = pw.BigIntegerField(default=0)

        class Meta:
            table_name = "counter"

    @migrator.create_model
    class Client(pw.Model):
        client_id = pw.CharField(max_length=36, primary_key=True)
        user = pw.ForeignKeyField(User, backref="clients", on_delete="CASCADE")
        last_mutation_id = pw.BigIntegerField(default=0)
        snapshot = pw.BooleanField(default=False)
        created_at = pw.DateTimeField(default=_now)
        last_seen_at = pw.DateTimeField(default=_now)

        class Meta:
            table_name = "client"

    @migrator.create_model
    class ServerState(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=64, unique=True)
        value = pw.BigIntegerField(default=0)

        class Meta:
            table_name = "server_state"

    @migrator.create_model
    class Entry(pw.Model):
        version = pw.BigIntegerField(index=True)
        deleted = pw.BooleanField(default=False)
        updated_at = pw.DateTimeField(default=_now)
        deleted_at = pw.DateTimeField(null=True)
        key = pw.CharField(max_length=36, primary_key=True)
        user = pw.ForeignKeyField(User, backref="entries", on_delete="CASCADE")
        kind = pw.CharField(max_length=16)
        occurred_at = pw.DateTimeField(null=True)
        data = pw.JSONField(default=dict)
        assessment = pw.JSONField(null=True)
        created_at = pw.DateTimeField(default=_now)

        class Meta:
            table_name = "entry"
            indexes = ((("user", "version"), False), (("user", "occurred_at"), False))

    @migrator.create_model
    class Setting(pw.Model):
        version = pw.BigIntegerField(index=True)
        deleted = pw.BooleanField(default=False)
        updated_at = pw.DateTimeField(default=_now)
        deleted_at = pw.DateTimeField(null=True)
        id = pw.AutoField()
        user = pw.ForeignKeyField(User, backref="settings", on_delete="CASCADE")
        name = pw.CharField(max_length=32)
        data = pw.JSONField(default=dict)

        class Meta:
            table_name = "setting"
            indexes = ((("user", "name"), True), (("user", "version"), False))

    migrator.sql("INSERT INTO counter (name, value) VALUES ('version', 0)")


def rollback(migrator, database, fake=False, **kwargs):
    for name in ("setting", "entry", "server_state", "client", "counter", "token", "user"):
        migrator.remove_model(name)
