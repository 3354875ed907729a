"""The database: declared here as a proxy, bound by the app factory from a URL."""

import functools
import os
import sqlite3

from peewee import DatabaseProxy, InterfaceError, Model, OperationalError
from playhouse.db_url import connect
from playhouse.pool import MaxConnectionsExceeded

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    # A push holds the write lock for milliseconds; a lock held 5 s is a backup, a migration or
    # a stuck process, and the phone (and a server thread) would only wait longer for a 503.
    "busy_timeout": 5000,
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -32000,  # KiB: keeps the indexes of a busy diary in memory
}


POOL_SIZE = 32
POOL_STALE_S = 300
PG_CONNECT_TIMEOUT_S = 5
# SQLite's primary result codes that mean "not now" (busy, locked, read-only, I/O error, disk
# full, cannot open), unlike SQLITE_ERROR for a bad statement or a missing table.
SQLITE_UNAVAILABLE = {5, 6, 8, 10, 13, 14}
# PostgreSQL's "read-only SQL transaction": a standby, or a primary put in read-only mode.
PG_READ_ONLY = "25006"


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


def open_database(url):
    """Return an unconnected, pooled peewee database for the URL.

    A request connects on its first query and closes after it; with a pool, closing hands the
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
        # A database host that drops packets would otherwise hold each request for minutes.
        timeout = {} if "connect_timeout=" in rest else {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        return connect(f"postgresql+pool://{rest}", max_connections=POOL_SIZE,
                       stale_timeout=POOL_STALE_S, **timeout)
    return connect(url)


def bind(url):
    """Point the proxy at the database named by the URL and return it."""
    database = open_database(url)
    db.initialize(database)
    return database


def unavailable(error):
    """Tell whether an error means the database cannot serve for now (try again), not a bug."""
    driver = getattr(error, "orig", error)  # peewee keeps the driver's exception there
    if isinstance(driver, sqlite3.Error):
        return getattr(driver, "sqlite_errorcode", 0) & 0xFF in SQLITE_UNAVAILABLE
    return (isinstance(error, (OperationalError, InterfaceError, MaxConnectionsExceeded))
            or getattr(driver, "pgcode", None) == PG_READ_ONLY)


def discard():
    """Close this thread's connection for good, not back into the pool.

    After an error a connection may stay broken: its backend is gone, or SQLite opened the
    file read-only while it could not be written, and stays so after it can.
    """
    if not db.is_closed():
        getattr(db.obj, "manual_close", db.close)()


def check():
    """Read and write (rolled back) the version counter; raise when either fails."""
    with db.atomic() as transaction:
        db.execute_sql("SELECT value FROM counter WHERE name = 'version'")
        db.execute_sql("UPDATE counter SET value = value WHERE 1 = 0")
        transaction.rollback()


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


@functools.lru_cache(maxsize=64)
def _statement(kind, model, columns, keys, param):
    table = model._meta.table_name
    names = {field.name: field.column_name for field in model._meta.sorted_fields}
    where = " AND ".join(f'"{names[key]}" = {param}' for key in keys)
    if kind == "select":
        selected = ", ".join(f'"{field.column_name}"' for field in model._meta.sorted_fields)
        return f'SELECT {selected} FROM "{table}" WHERE {where}'
    assigned = ", ".join(f'"{names[column]}" = {param}' for column in columns)
    return f'UPDATE "{table}" SET {assigned} WHERE {where}'


def select_one(model, **equals):
    """Return the row whose columns equal `equals` as a model instance, or None.

    For the few lookups every request makes: the SQL is written once per model and shape,
    where peewee would build it anew each time.
    """
    fields = model._meta.sorted_fields
    sql = _statement("select", model, (), tuple(equals), db.param)
    row = db.execute_sql(sql, list(equals.values())).fetchone()
    if row is None:
        return None
    return model(**{field.name: field.python_value(value) for field, value in zip(fields, row)})


def update_where(model, values, **equals):
    """Set `values` on the rows whose columns equal `equals`, with a statement written once."""
    fields = model._meta.fields
    sql = _statement("update", model, tuple(values), tuple(equals), db.param)
    params = [fields[name].db_value(value) for name, value in values.items()]
    db.execute_sql(sql, params + list(equals.values()))
