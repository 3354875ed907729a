"""Mark the physiotherapist accounts that the operator has verified (`unknot user verify`).

Anyone can open a physiotherapist account through the API; a patient is shown whether the one
inviting them was verified. Accounts that exist today are not: the operator verifies them.

The column is added with plain SQL: peewee-migrate adds a NOT NULL column on SQLite by
rebuilding the table, and dropping the old `user` table cascaded to every entry.
"""


def migrate(migrator, database, fake=False, **kwargs):
    from peewee import PostgresqlDatabase

    kind = "BOOLEAN NOT NULL DEFAULT FALSE" if isinstance(database, PostgresqlDatabase) \
        else "INTEGER NOT NULL DEFAULT 0"
    migrator.sql(f'ALTER TABLE "user" ADD COLUMN "verified" {kind}')


def rollback(migrator, database, fake=False, **kwargs):
    migrator.sql('ALTER TABLE "user" DROP COLUMN "verified"')
