"""The database: declared here as a proxy, bound by the app factory from a URL."""

import os

from peewee import DatabaseProxy, Model
from playhouse.db_url import connect

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 10000,
    "foreign_keys": 1,
    "synchronous": "normal",
}


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


def open_database(url):
    """Return an unconnected peewee database for the URL (SQLite tuned for concurrent use)."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path not in ("", ":memory:"):
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # IMMEDIATE: a write transaction takes the lock up front instead of failing on upgrade.
        return connect(url, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    return connect(url)


def bind(url):
    """Point the proxy at the database named by the URL and return it."""
    database = open_database(url)
    db.initialize(database)
    return database


def is_postgres():
    """Tell whether the bound database is PostgreSQL."""
    from peewee import PostgresqlDatabase

    return isinstance(db.obj, PostgresqlDatabase)


def read_snapshot():
    """Open a read-only transaction that sees one consistent snapshot on either backend."""
    if is_postgres():
        return db.atomic(isolation_level="REPEATABLE READ")
    # DEFERRED: a plain snapshot reader that never takes SQLite's write lock.
    return db.atomic("DEFERRED")
