"""Drop two entry indexes that every insert paid for and no query needs.

(user_id, version) and (user_id, occurred_at) serve every read of a person's entries; the
single-column indexes on version and on user_id duplicated them.
"""


def migrate(migrator, database, fake=False, **kwargs):
    migrator.sql("DROP INDEX entry_version")
    migrator.sql("DROP INDEX entry_user_id")


def rollback(migrator, database, fake=False, **kwargs):
    migrator.sql('CREATE INDEX entry_version ON entry (version)')
    migrator.sql('CREATE INDEX entry_user_id ON entry (user_id)')
