"""People and their device tokens."""

import datetime

from peewee import AutoField, BooleanField, CharField, DateTimeField, ForeignKeyField

from server.db import BaseModel


def utcnow():
    """Return the current UTC time as a naive datetime (the stored convention)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class User(BaseModel):
    id = AutoField()
    email = CharField(max_length=254, unique=True)
    password_hash = CharField(max_length=255)
    display_name = CharField(max_length=100)
    role = CharField(max_length=16, default="member")
    created_at = DateTimeField(default=utcnow)

    @property
    def is_physio(self):
        return self.role == "physio"


class Token(BaseModel):
    id = AutoField()
    user = ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    device_name = CharField(max_length=100, default="")
    created_at = DateTimeField(default=utcnow)
    last_used_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    revoked = BooleanField(default=False)
