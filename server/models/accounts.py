"""People and their device tokens."""

import datetime
import functools

from peewee import AutoField, BooleanField, CharField, DateTimeField, ForeignKeyField

from server.db import BaseModel, db


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
    # A physiotherapist account the operator checked (`unknot user verify`); anyone may open
    # one through the API, and patients are told which kind invites them.
    verified = BooleanField(default=False)

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

    @classmethod
    def with_owner(cls, token_hash):
        """Return (the token, its user) for a stored hash, or None: one statement, since every
        request asks it and each round trip to PostgreSQL costs more than the query."""
        row = db.execute_sql(_token_and_owner(db.param), [token_hash]).fetchone()
        if row is None:
            return None
        token_fields, user_fields = Token._meta.sorted_fields, User._meta.sorted_fields
        token = Token(**{f.name: f.python_value(v) for f, v in zip(token_fields, row)})
        user = User(**{f.name: f.python_value(v)
                       for f, v in zip(user_fields, row[len(token_fields):])})
        return token, user


@functools.lru_cache(maxsize=2)
def _token_and_owner(param):
    columns = [f't."{field.column_name}"' for field in Token._meta.sorted_fields]
    columns += [f'u."{field.column_name}"' for field in User._meta.sorted_fields]
    return (f'SELECT {", ".join(columns)} FROM "token" AS t JOIN "user" AS u ON u."id" = t."user_id" '
            f'WHERE t."token_hash" = {param}')
