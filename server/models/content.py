"""The content catalogue in the database: exercises, routines and programmes.

Each row keeps the item's validated wire data whole, with a hash of it; the catalogue files
are seeded in by `unknot seed` (source "catalogue"), and rows of other sources (a physio's
own routines) can sit beside them.
"""

from peewee import AutoField, CharField, DateTimeField, IntegerField, JSONField

from server.db import BaseModel
from server.models.accounts import utcnow


class CatalogueItem(BaseModel):
    """Columns every content table shares."""

    id = AutoField()
    slug = CharField(max_length=60, unique=True)
    data = JSONField()
    etag = CharField(max_length=32)
    source = CharField(max_length=16, default="catalogue")
    position = IntegerField(default=0)
    updated_at = DateTimeField(default=utcnow)

    @classmethod
    def listed(cls):
        """Select every item in catalogue order."""
        return (cls.select()
                .order_by(cls.position, cls.slug))

    @classmethod
    def by_slug(cls, slug):
        """Select the item with this slug."""
        return (cls.select()
                .where(cls.slug == slug))


class Exercise(CatalogueItem):
    @classmethod
    def data_by_slug(cls, slugs):
        """Return {slug: data} for the exercises with these slugs."""
        query = (cls.select(cls.slug, cls.data)
                 .where(cls.slug.in_(list(slugs))))
        return {row.slug: row.data for row in query}


class Routine(CatalogueItem):
    pass


class Programme(CatalogueItem):
    pass
