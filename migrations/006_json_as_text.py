"""Keep diary JSON as text on PostgreSQL: `json`, not `jsonb` (see server/db.TextJSONField).

Entries and settings are written whole and read whole; `jsonb` parsed every row on the way in
and printed it again on the way out. SQLite stores both as text: nothing changes there.
"""

COLUMNS = (("entry", "data"), ("entry", "assessment"), ("setting", "data"))


def migrate(migrator, database, fake=False, **kwargs):
    _retype(migrator, database, "json")


def rollback(migrator, database, fake=False, **kwargs):
    _retype(migrator, database, "jsonb")


def _retype(migrator, database, kind):
    from peewee import PostgresqlDatabase

    if isinstance(database, PostgresqlDatabase):
        for table, column in COLUMNS:
            migrator.sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {kind} '
                         f'USING "{column}"::{kind}')
