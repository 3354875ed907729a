"""Apply the numbered migrations in migrations/ to the bound database."""

import logging
import os

from peewee_migrate import Router

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                              "migrations")


def run(database, directory=MIGRATIONS_DIR):
    """Apply every migration not yet applied; return the names applied now."""
    router = Router(database, migrate_dir=directory, logger=logging.getLogger("unknot.migrate"))
    pending = router.diff
    router.run()
    return pending
