"""The schema the migrations build is the schema the models declare, on every backend."""

import datetime

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


def test_the_kept_cramp_columns_are_filled_for_rows_written_before_them(app):
    """Migration 007 fills each live cramp's intensity and warning level from its JSON by the
    rule a push applies (attention.flag_level), and leaves other rows empty."""
    import random
    import uuid

    from peewee_migrate import Router

    from server import attention, sync
    from server.models.accounts import User
    from server.models.diary import Entry
    from tests.test_caseload_glance import diary

    now = datetime.datetime.now(datetime.timezone.utc)
    with app.app_context(), db.connection_context():
        drop_schema()
        migrate.run(db.obj)
        person = User.create(email=f"{uuid.uuid4().hex}@example.org", password_hash="x",
                             display_name="P")
        entries = diary(random.Random(7), now, 150)
        mutations = [{"id": i + 1, "op": "put", "entity": "entry", "key": str(uuid.uuid4()),
                      "base_version": 0, "data": data} for i, data in enumerate(entries)]
        sync.push(person, str(uuid.uuid4()), mutations)
        sync.push(person, str(uuid.uuid4()), [{"id": 1, "op": "delete", "entity": "entry",
                                               "key": mutations[0]["key"], "base_version": 0}])
        # Signs ticked that no assessment judged: a row from before assessments were kept.
        ticked = [e.key for e in Entry.select() if e.kind == "cramp" and e.data.get("red_flags")]
        Entry.update(assessment=None).where(Entry.key == ticked[0]).execute()
        Entry.update(warning="see_doctor").where(Entry.key == ticked[0]).execute()
        written = {e.key: (e.intensity, e.warning) for e in Entry.select()}
        router = Router(db.obj, migrate_dir=migrate.MIGRATIONS_DIR)
        later = router.done[router.done.index("007_entry_warning"):]
        for _ in later:  # back to before 007, then forward again
            router.rollback()
        assert "warning" not in {c.name for c in db.get_columns("entry")}
        assert router.run() == later
        filled = {e.key: (e.intensity, e.warning) for e in Entry.select()}
        expected = {e.key: (e.data["intensity"], attention.flag_level({**e.data,
                                                                       "assessment": e.assessment}))
                    if e.kind == "cramp" and not e.deleted else (None, None)
                    for e in Entry.select()}
    assert filled == written == expected
    assert {warning for _, warning in filled.values()} == {None, *attention.WARNING_LEVELS}
