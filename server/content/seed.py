"""Put the catalogue files into the database: new items are added, changed ones updated.

Running it again changes nothing unless a file changed, and never duplicates an item. Items
that left the files are removed; rows of any other source are never touched.
"""

from server.content import content_hash, load_catalogue
from server.db import db
from server.models.accounts import utcnow
from server.models.content import Exercise, Programme, Routine

TABLES = {"exercises": Exercise, "routines": Routine, "programmes": Programme}
SOURCE = "catalogue"


class SeedError(Exception):
    """The files cannot be seeded as they are."""


def _seed_table(model, items):
    """Bring one table in line with the file's items; return counts of what changed."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "removed": 0}
    rows = {row.slug: row for row in model.select()}
    for position, item in enumerate(items):
        etag, row = content_hash(item), rows.get(item["slug"])
        if row is None:
            model.create(slug=item["slug"], data=item, etag=etag, source=SOURCE, position=position)
            counts["created"] += 1
        elif row.source != SOURCE:
            raise SeedError(f"{model._meta.table_name} {item['slug']} already exists as {row.source} "
                            f"content; rename one of them.")
        elif row.etag == etag and row.position == position:
            counts["unchanged"] += 1
        else:
            (model
             .update(data=item, etag=etag, position=position, updated_at=utcnow())
             .where(model.id == row.id)
             .execute())
            counts["updated"] += 1
    slugs = {item["slug"] for item in items}
    gone = [row.id for row in rows.values() if row.source == SOURCE and row.slug not in slugs]
    if gone:
        counts["removed"] = model.delete().where(model.id.in_(gone)).execute()
    return counts


def seed(directory=None):
    """Validate the catalogue files and seed them in one transaction; return counts per table."""
    catalogue = load_catalogue(directory)
    with db.atomic():
        return {name: _seed_table(model, catalogue[name]) for name, model in TABLES.items()}
