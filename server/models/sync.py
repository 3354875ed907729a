"""Sync bookkeeping: the server-wide version counter, clients and server state."""

import functools

from peewee import AutoField, BigIntegerField, BooleanField, CharField, DateTimeField, ForeignKeyField

from server.db import BaseModel, db, is_postgres
from server.models.accounts import User, utcnow
from server.models.care import Assignment, Comment
from server.models.diary import Setting

# The version below which tombstones may have been purged (ServerState).
HORIZON = "tombstone_horizon"


class Counter(BaseModel):
    """One row per named counter; `version` is the only one the product uses."""

    name = CharField(max_length=32, primary_key=True)
    value = BigIntegerField(default=0)


TAKE = "UPDATE counter SET value = value + {0} WHERE name = 'version' RETURNING value"
PROGRESS = 'UPDATE "client" SET "last_mutation_id" = {0}, "last_seen_at" = {0} WHERE "client_id" = {0}'


def next_version(count=1, progress=None):
    """Take the next `count` versions and return the last one; call inside the write's
    transaction. `progress`, a (client id, last mutation id, time) triple, is written to the
    client row in the same round trip on PostgreSQL.

    The counter row stays locked until the transaction commits, so versions become visible in
    the order they were taken: a pull that has seen version N never later finds a version below N.
    """
    take, params = TAKE.format(db.param), [count]
    if progress is not None:
        client_id, last_mutation_id, seen_at = progress
        params = [last_mutation_id, seen_at, client_id] + params
        if is_postgres():
            take = f"WITH progress AS ({PROGRESS.format('%s')}) {take}"
        else:
            db.execute_sql(PROGRESS.format("?"), params[:3])
            params = params[3:]
    row = db.execute_sql(take, params).fetchone()
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

    @classmethod
    def open_push(cls, user, client_id):
        """Start a push: lock the person and return (the person the client id is bound to,
        its last mutation id, the person's profile settings or {}, the version of their newest
        entry or 0), or None when the person no longer exists.

        The lock makes the person's other pushes wait until this transaction ends
        (PostgreSQL): taken first, it orders all of one person's pushes, from one device or
        many, as if they came one after another. NO KEY UPDATE leaves the row free for the
        key-share locks that inserts referring to the person take. SQLite's IMMEDIATE write
        transactions already run one at a time. One statement reads it all: a round trip to
        PostgreSQL costs more than any of these queries, and a push made five of them.

        A new client id is bound to the person.
        """
        found = db.execute_sql(_push_start(db.param, is_postgres()), [client_id, user.id]).fetchone()
        if found is None:
            return None  # the account was deleted after the request was let in
        owner, last_mutation_id, profile, newest = found
        if owner is None:
            owner, last_mutation_id = cls.bind_new(client_id, user), 0
        profile = Setting.data.python_value(profile) if profile is not None else {}
        return owner, last_mutation_id, profile, newest or 0

    @classmethod
    def bind_new(cls, client_id, user, snapshot=False):
        """Create a client row bound to the user; return the id of the person it is bound to,
        someone else's when another request took the id first."""
        inserted = db.execute(cls.insert(client_id=client_id, user=user, snapshot=snapshot)
                              .on_conflict_ignore()).rowcount
        if inserted:
            return user.id
        return cls.select(cls.user).where(cls.client_id == client_id).scalar()

    @classmethod
    def open_pull(cls, client_id, user, cursor):
        """Start a pull inside its snapshot; return (the client's owner or None when the id is
        new, its last mutation id, its snapshot flag, the tombstone horizon, the settled
        version, and which of settings, comments and assignments changed after `cursor`).

        One statement: a pull's page is one more, where it made eight round trips before.
        """
        params = [user.id, cursor] * 3 + [client_id]
        owner, last, snapshot, horizon, settled, *changed = db.execute_sql(
            _pull_start(db.param), params).fetchone()
        return (owner, last or 0, bool(snapshot), horizon or 0, settled or 0,
                {model for model, flag in zip((Setting, Comment, Assignment), changed) if flag})


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


@functools.lru_cache(maxsize=2)
def _push_start(param, postgres):
    lock = " FOR NO KEY UPDATE OF u" if postgres else ""
    return ('SELECT c."user_id", c."last_mutation_id", '
            '(SELECT s."data" FROM "setting" AS s WHERE s."user_id" = u."id" '
            "AND s.\"name\" = 'profile' AND NOT s.\"deleted\"), "
            '(SELECT max(e."version") FROM "entry" AS e WHERE e."user_id" = u."id") '
            f'FROM "user" AS u LEFT JOIN "client" AS c ON c."client_id" = {param} '
            f'WHERE u."id" = {param}{lock}')


@functools.lru_cache(maxsize=2)
def _pull_start(param):
    changed = ", ".join(
        f'EXISTS (SELECT 1 FROM "{model._meta.table_name}" WHERE "{owner.column_name}" = {param} '
        f'AND "version" > {param})'
        for model, owner in ((Setting, Setting.user), (Comment, Comment.patient),
                             (Assignment, Assignment.patient)))
    return ('SELECT c."user_id", c."last_mutation_id", c."snapshot", '
            f"(SELECT value FROM server_state WHERE name = '{HORIZON}'), "
            "(SELECT value FROM counter WHERE name = 'version'), "
            f'{changed} FROM (SELECT 1) AS one LEFT JOIN "client" AS c ON c."client_id" = {param}')
