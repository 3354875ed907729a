"""Care: invites, consent links, the audit trail, comments and assignments."""

import datetime

import peewee as pw


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def migrate(migrator, database, fake=False, **kwargs):
    class User(pw.Model):
        id = pw.AutoField()

        class Meta:
            table_name = "user"

    @migrator.create_model
    class Invite(pw.Model):
        id = pw.AutoField()
        physio = pw.ForeignKeyField(User, backref="invites", on_delete="CASCADE")
        code_hash = pw.CharField(max_length=64, unique=True)
        label = pw.CharField(max_length=100, default="")
        created_at = pw.DateTimeField(default=_now)
        expires_at = pw.DateTimeField()
        used_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "invite"

    @migrator.create_model
    class CareLink(pw.Model):
        id = pw.AutoField()
        physio = pw.ForeignKeyField(User, backref="patient_links", on_delete="CASCADE")
        patient = pw.ForeignKeyField(User, backref="care_links", on_delete="CASCADE")
        created_at = pw.DateTimeField(default=_now)
        revoked_at = pw.DateTimeField(null=True)
        reviewed_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "care_link"
            indexes = ((("physio", "patient"), False), (("patient", "created_at"), False))

    @migrator.create_model
    class AuditLog(pw.Model):
        id = pw.AutoField()
        physio = pw.ForeignKeyField(User, null=True, backref="audit_written",
                                    on_delete="SET NULL")
        physio_name = pw.CharField(max_length=100)
        patient = pw.ForeignKeyField(User, backref="audit_log", on_delete="CASCADE")
        action = pw.CharField(max_length=32)
        detail = pw.CharField(max_length=200, default="")
        at = pw.DateTimeField(default=_now)

        class Meta:
            table_name = "audit_log"
            indexes = ((("patient", "at"), False),)

    @migrator.create_model
    class Comment(pw.Model):
        version = pw.BigIntegerField(index=True)
        deleted = pw.BooleanField(default=False)
        updated_at = pw.DateTimeField(default=_now)
        deleted_at = pw.DateTimeField(null=True)
        key = pw.CharField(max_length=36, primary_key=True)
        patient = pw.ForeignKeyField(User, backref="comments", on_delete="CASCADE")
        author = pw.ForeignKeyField(User, null=True, backref="comments_written",
                                    on_delete="SET NULL")
        author_name = pw.CharField(max_length=100)
        entry_key = pw.CharField(max_length=36, null=True)
        text = pw.TextField()
        created_at = pw.DateTimeField(default=_now)

        class Meta:
            table_name = "comment"
            indexes = ((("patient", "version"), False),)

    @migrator.create_model
    class Assignment(pw.Model):
        version = pw.BigIntegerField(index=True)
        deleted = pw.BooleanField(default=False)
        updated_at = pw.DateTimeField(default=_now)
        deleted_at = pw.DateTimeField(null=True)
        key = pw.CharField(max_length=36, primary_key=True)
        patient = pw.ForeignKeyField(User, backref="assignments", on_delete="CASCADE")
        author = pw.ForeignKeyField(User, null=True, backref="assignments_written",
                                    on_delete="SET NULL")
        author_name = pw.CharField(max_length=100)
        kind = pw.CharField(max_length=16)
        slug = pw.CharField(max_length=60)
        title = pw.CharField(max_length=100)
        start_date = pw.DateField()
        note = pw.TextField(default="")
        routine = pw.JSONField(null=True)
        plan = pw.JSONField(default=list)
        created_at = pw.DateTimeField(default=_now)

        class Meta:
            table_name = "assignment"
            indexes = ((("patient", "version"), False),)


def rollback(migrator, database, fake=False, **kwargs):
    for name in ("assignment", "comment", "audit_log", "care_link", "invite"):
        migrator.remove_model(name)
