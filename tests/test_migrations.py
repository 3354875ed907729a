"""The schema the migrations build is the schema the models declare, on every backend."""

from server import migrate
from server.db import db
from tests.conftest import drop_schema


def describe():
    """Return every table's columns, indexes and foreign keys, in comparable form."""
    schema = {}
    for table in sorted(t for t in db.get_tables() if t != "migratehistory"):
        columns = sorted((c.name, c.data_type.lower(), c.null, c.primary_key)
                         for c in db.get_columns(table))
        indexes = sorted((tuple(sorted(i.columns)), i.unique) for i in db.get_indexes(table))
        keys = sorted((k.column, k.dest_table, k.dest_column) for k in db.get_foreign_keys(table))
        schema[table] = (columns, indexes, keys)
    return schema


def test_migrations_build_the_models_schema(app):
    with db.connection_context():
        declared = describe()
        drop_schema()
        applied = migrate.run(db.obj)
        migrated = describe()
        assert applied, "no migration ran"
        assert migrated == declared
        assert db.execute_sql("SELECT value FROM counter WHERE name = 'version'").fetchone() == (0,)


def test_migrate_is_idempotent(app):
    with db.connection_context():
        drop_schema()
        migrate.run(db.obj)
        assert migrate.run(db.obj) == []
