"""The database: declared here as a proxy, bound by the app factory from a URL."""

import contextlib
import functools
import os
import sqlite3

from peewee import (AutoField, DatabaseProxy, DateTimeField, InterfaceError, JSONField, Model,
                    OperationalError)
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


class TextJSONField(JSONField):
    """JSON kept as the text it was written as: PostgreSQL's `json` type, not `jsonb`.

    Diary rows are written whole and read whole, never searched inside through an index.
    Measured on 10,000 entries in pages of 500, `json` took them in 30% less time than
    `jsonb` (0.61 s against 0.85 s) and gave them back as text three times as fast (0.19 s
    against 0.55 s), since `jsonb` is parsed on the way in and printed on the way out.
    SQLite keeps both as text.
    """

    field_type = "TEXT_JSON"


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
                       field_types={"TEXT_JSON": "TEXT"},
                       check_same_thread=False,
                       max_connections=POOL_SIZE, stale_timeout=POOL_STALE_S)
    if scheme in ("postgres", "postgresql"):
        _read_json_fast()
        # A database host that drops packets would otherwise hold each request for minutes.
        timeout = {} if "connect_timeout=" in rest else {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        return connect(f"postgresql+pool://{rest}", max_connections=POOL_SIZE,
                       field_types={"TEXT_JSON": "JSON"},
                       stale_timeout=POOL_STALE_S, **timeout)
    return connect(url)


@functools.cache
def _read_json_fast():
    """Have psycopg2 parse json and jsonb columns with orjson instead of the json module.

    Every push reads the entries it touches and every pull a page of them: the standard
    decoder was a fifth of a push on PostgreSQL. Set once for the process (psycopg2 offers no
    per-pool hook); jsonio falls back to the standard module only for what orjson refuses.
    """
    import psycopg2.extras

    from server import jsonio

    psycopg2.extras.register_default_json(loads=jsonio.loads, globally=True)
    psycopg2.extras.register_default_jsonb(loads=jsonio.loads, globally=True)


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


def insert_rows(model, rows):
    """Insert rows (dicts of field values; a missing field is NULL) in as few round trips as
    the backend allows: one multi-row VALUES on PostgreSQL, where executemany would make one
    round trip per row; one prepared statement run in-process on SQLite. An automatic id is
    left for the database to give."""
    if not rows:
        return
    fields = [field for field in model._meta.sorted_fields if not isinstance(field, AutoField)]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    table = model._meta.table_name
    values = _row_values(fields, rows)
    with _driver_errors():
        if is_postgres():
            from psycopg2.extras import execute_values

            sql = f'INSERT INTO "{table}" ({columns}) VALUES %s'
            _logged(sql, values)
            execute_values(db.cursor(), sql, values, page_size=len(values))
        else:
            sql = f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join("?" * len(fields))})'
            _logged(sql, values)
            db.cursor().executemany(sql, values)


def update_rows(model, rows):
    """Write whole rows (dicts with every field) back by primary key, in one statement on
    PostgreSQL (UPDATE ... FROM VALUES) and one prepared statement on SQLite."""
    if not rows:
        return
    fields = model._meta.sorted_fields
    key = model._meta.primary_key
    others = [field for field in fields if field is not key]
    table = model._meta.table_name
    values = _row_values(others + [key], rows)
    with _driver_errors():
        if is_postgres():
            from psycopg2.extras import execute_values

            # Each value is cast to its column's type: a VALUES list types NULL as text.
            types = _column_types(model)
            names = ", ".join(f'"{field.column_name}"' for field in others + [key])
            assigned = ", ".join(f'"{f.column_name}" = v."{f.column_name}"' for f in others)
            template = "(" + ", ".join(f"%s::{types[f.column_name]}" for f in others + [key]) + ")"
            sql = (f'UPDATE "{table}" AS t SET {assigned} FROM (VALUES %s) AS v ({names}) '
                   f'WHERE t."{key.column_name}" = v."{key.column_name}"')
            _logged(sql, values)
            execute_values(db.cursor(), sql, values, template=template, page_size=len(values))
        else:
            assigned = ", ".join(f'"{field.column_name}" = ?' for field in others)
            sql = f'UPDATE "{table}" SET {assigned} WHERE "{key.column_name}" = ?'
            _logged(sql, values)
            db.cursor().executemany(sql, values)


def _logged(sql, rows):
    """Log a bulk write as peewee logs its own queries (logger "peewee", DEBUG)."""
    from peewee import logger

    logger.debug((sql, rows))


def _row_values(fields, rows):
    """Return each row's values in field order, as the driver takes them.

    Values arrive with their column's Python type (a foreign key as its id); only JSON, and
    datetimes on SQLite, need writing as text.
    """
    from server import jsonio

    def json_text(value):
        return None if value is None else jsonio.dumps(value)

    written = {}

    def datetime_text(value):
        # The text sqlite3 itself would write; psycopg2 takes the datetime as it is. A push
        # stamps all its rows with one datetime object: written once, looked up after.
        if value is None:
            return None
        text = written.get(id(value))
        if text is None:
            text = written[id(value)] = value.isoformat(" ")
        return text

    convert = []
    for field in fields:
        if isinstance(field, JSONField):
            convert.append((field.name, json_text))
        elif isinstance(field, DateTimeField) and not is_postgres():
            convert.append((field.name, datetime_text))
        else:
            convert.append((field.name, None))
    return [tuple(row.get(name) if to_db is None else to_db(row.get(name))
                  for name, to_db in convert) for row in rows]


@functools.lru_cache(maxsize=16)
def _column_types(model):
    """Return {column: its SQL type} as PostgreSQL has it."""
    rows = db.execute_sql(
        "SELECT column_name, format_type(atttypid, atttypmod) FROM information_schema.columns "
        "JOIN pg_attribute ON attrelid = %s::regclass AND attname = column_name "
        "WHERE table_name = %s AND table_schema = current_schema()",
        (model._meta.table_name, model._meta.table_name)).fetchall()
    return dict(rows)


@contextlib.contextmanager
def _driver_errors():
    """Raise the driver's errors as peewee's, as db.execute_sql would."""
    from peewee import __exception_wrapper__

    with __exception_wrapper__:
        yield
