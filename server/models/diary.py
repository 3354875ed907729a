"""The diary: entries and per-person settings, both synced."""

from peewee import (AutoField, BigIntegerField, BooleanField, CharField, DateTimeField,
                    ForeignKeyField, JSONField)

from server.db import BaseModel
from server.models.accounts import User, utcnow


class Synced(BaseModel):
    """Columns every synced row carries."""

    version = BigIntegerField(index=True)
    deleted = BooleanField(default=False)
    updated_at = DateTimeField(default=utcnow)
    deleted_at = DateTimeField(null=True)


class Entry(Synced):
    key = CharField(max_length=36, primary_key=True)
    user = ForeignKeyField(User, backref="entries", on_delete="CASCADE")
    kind = CharField(max_length=16)
    occurred_at = DateTimeField(null=True)
    data = JSONField(default=dict)
    assessment = JSONField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "version"), False), (("user", "occurred_at"), False))

    @classmethod
    def visible_to(cls, user):
        """Select the entries a member pulls: their own."""
        return cls.select().where(cls.user == user)

    @classmethod
    def live_for(cls, user):
        """Select the person's entries that are not deleted, oldest first."""
        return (cls.select()
                .where((cls.user == user) & (cls.deleted == False))  # noqa: E712
                .order_by(cls.occurred_at))

    def to_change(self):
        data = None if self.deleted else dict(self.data, **({"assessment": self.assessment}
                                                           if self.assessment else {}))
        return {"entity": "entry", "key": self.key, "version": self.version,
                "deleted": self.deleted, "data": data}


class Setting(Synced):
    id = AutoField()
    user = ForeignKeyField(User, backref="settings", on_delete="CASCADE")
    name = CharField(max_length=32)
    data = JSONField(default=dict)

    class Meta:
        indexes = ((("user", "name"), True), (("user", "version"), False))

    @classmethod
    def visible_to(cls, user):
        """Select the settings a member pulls: their own."""
        return cls.select().where(cls.user == user)

    def to_change(self):
        return {"entity": "settings", "key": self.name, "version": self.version,
                "deleted": self.deleted, "data": None if self.deleted else self.data}
