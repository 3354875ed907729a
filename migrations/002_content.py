"""The content catalogue: exercises, routines and programmes."""

import datetime

import peewee as pw


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def migrate(migrator, database, fake=False, **kwargs):
    @migrator.create_model
    class Exercise(pw.Model):
        id = pw.AutoField()
        slug = pw.CharField(max_length=60, unique=True)
        data = pw.JSONField()
        etag = pw.CharField(max_length=32)
        source = pw.CharField(max_length=16, default="catalogue")
        position = pw.IntegerField(default=0)
        updated_at = pw.DateTimeField(default=_now)

        class Meta:
            table_name = "exercise"

    @migrator.create_model
    class Routine(pw.Model):
        id = pw.AutoField()
        slug = pw.CharField(max_length=60, unique=True)
        data = pw.JSONField()
        etag = pw.CharField(max_length=32)
        source = pw.CharField(max_length=16, default="catalogue")
        position = pw.IntegerField(default=0)
        updated_at = pw.DateTimeField(default=_now)

        class Meta:
            table_name = "routine"

    @migrator.create_model
    class Programme(pw.Model):
        id = pw.AutoField()
        slug = pw.CharField(max_length=60, unique=True)
        data = pw.JSONField()
        etag = pw.CharField(max_length=32)
        source = pw.CharField(max_length=16, default="catalogue")
        position = pw.IntegerField(default=0)
        updated_at = pw.DateTimeField(default=_now)

        class Meta:
            table_name = "programme"


def rollback(migrator, database, fake=False, **kwargs):
    for name in ("programme", "routine", "exercise"):
        migrator.remove_model(name)
