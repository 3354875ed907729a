"""Sync bookkeeping: the server-wide version counter, clients and server state."""

from peewee import AutoField, BigIntegerField, BooleanField, CharField, DateTimeField, ForeignKeyField

from server.db import BaseModel, db, is_postgres
from server.models.accounts import User, utcnow


class Counter(BaseModel):
    """One row per named counter; `version` is the only one the product uses."""

    name = CharField(max_length=32, primary_key=True)
    value = BigIntegerField(default=0)


def next_version(count=1):
    """Take the next `count` versions; call inside the write's transaction.

    The counter row stays locked until the transaction commits, so versions become visible in
    the order they were taken: a pull that has seen version N never later finds a version below N.
    """
    cursor = db.execute_sql(
        "UPDATE counter SET value = value + %s WHERE name = 'version' RETURNING value"
        % ("%s" if is_postgres() else "?"),
        (count,),
    )
    row = cursor.fetchone()
    if row is None:
        Counter.insert(name="version", value=count).execute()
        return count
    return row[0]


class Client(BaseModel):
    """One installed app (one IndexedDB): the last mutation applied from it."""

    client_id = CharField(max_length=36, primary_key=True)
    user = ForeignKeyField(User, backref="clients", on_delete="CASCADE")
    last_mutation_id = BigIntegerField(default=0)
    snapshot = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)


class ServerState(BaseModel):
    """Small named values the server keeps, such as the tombstone horizon."""

    id = AutoField()
    name = CharField(max_length=64, unique=True)
    value = BigIntegerField(default=0)

    @classmethod
    def read(cls, name):
        """Return the value stored under `name`, or 0."""
        row = cls.get_or_none(cls.name == name)
        return row.value if row else 0

    @classmethod
    def write(cls, name, value):
        """Store `value` under `name`."""
        (cls.insert(name=name, value=value)
         .on_conflict(conflict_target=[cls.name], update={cls.value: value})
         .execute())
