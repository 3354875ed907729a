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
    "cache_size": -32000,  # KiB: keeps the indexes of a busy diary in memory
}


POOL_SIZE = 32
POOL_STALE_S = 300


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


def open_database(url):
    """Return an unconnected, pooled peewee database for the URL.

    The app connects before each request and closes after it; with a pool, closing hands the
    connection back for the next request instead of tearing it down (and, on SQLite, instead of
    checkpointing the WAL every time).
    """
    scheme, _, rest = url.partition("://")
    if scheme == "sqlite":
        path = rest[1:]
        if path not in ("", ":memory:"):
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # IMMEDIATE: a write transaction takes the lock up front instead of failing on upgrade.
        # A pooled connection may serve another thread later: each is used by one at a time.
        return connect(f"sqlite+pool://{rest}", pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE",
                       check_same_thread=False,
                       max_connections=POOL_SIZE, stale_timeout=POOL_STALE_S)
    if scheme in ("postgres", "postgresql"):
        return connect(f"postgresql+pool://{rest}", max_connections=POOL_SIZE,
                       stale_timeout=POOL_STALE_S)
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
