"""Care: invites, consent links between a physio and a patient, the audit trail, and what
a physio sends back (comments and assignments, which sync to the patient's devices)."""

from datetime import timezone

from peewee import (AutoField, CharField, DateField, DateTimeField, ForeignKeyField, JSONField,
                    TextField)

from server.db import BaseModel, db
from server.models.accounts import User, utcnow
from server.models.diary import Synced


def stamp(moment):
    """Write a stored naive UTC datetime as ISO 8601 with its offset."""
    return moment.replace(tzinfo=timezone.utc).isoformat() if moment else None


class Invite(BaseModel):
    """A one-time code a physio hands to a patient; only its hash is kept."""

    id = AutoField()
    physio = ForeignKeyField(User, backref="invites", on_delete="CASCADE")
    code_hash = CharField(max_length=64, unique=True)
    label = CharField(max_length=100, default="")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)

    @classmethod
    def usable(cls, code_hash, now):
        """Select the unused, unexpired invite with this hash, with its physio."""
        return (cls.select(cls, User)
                .join(User)
                .where((cls.code_hash == code_hash)
                       & cls.used_at.is_null()
                       & (cls.expires_at > now)))


class CareLink(BaseModel):
    """A patient's consent for one physio to see their diary, until revoked."""

    id = AutoField()
    physio = ForeignKeyField(User, backref="patient_links", on_delete="CASCADE")
    patient = ForeignKeyField(User, backref="care_links", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)
    revoked_at = DateTimeField(null=True)
    reviewed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("physio", "patient"), False), (("patient", "created_at"), False))

    @classmethod
    def active(cls):
        """Select links still in force."""
        return cls.select().where(cls.revoked_at.is_null())

    @classmethod
    def caseload(cls, physio_id, patient_id=None):
        """Return the physio's links in force as dicts: link id, patient id and name, when
        linked and reviewed, and when any of the patient's devices last pushed (naive UTC).

        One statement read as plain rows: a patient list asks it for every patient each time.
        """
        p = db.param
        sql = (f'SELECT l."id", u."id", u."display_name", l."created_at", l."reviewed_at", '
               f'(SELECT MAX(c."last_seen_at") FROM "client" AS c WHERE c."user_id" = u."id") '
               f'FROM "care_link" AS l JOIN "user" AS u ON u."id" = l."patient_id" '
               f'WHERE l."physio_id" = {p} AND l."revoked_at" IS NULL'
               + (f' AND l."patient_id" = {p}' if patient_id is not None else ""))
        params = [physio_id] + ([patient_id] if patient_id is not None else [])
        stamp = cls.created_at.python_value
        return [{"link_id": link_id, "id": pid, "display_name": name, "linked_at": stamp(linked),
                 "reviewed_at": stamp(reviewed), "last_seen_at": stamp(seen)}
                for link_id, pid, name, linked, reviewed, seen in db.execute_sql(sql, params)]

    @classmethod
    def between(cls, physio, patient_id):
        """Select the link in force between this physio and patient."""
        return (cls.active()
                .where((cls.physio == physio) & (cls.patient == patient_id)))


class AuditLog(BaseModel):
    """One physio action on a patient's data, kept for the patient to read.

    The physio's name is copied so the trail still says who it was after that account goes.
    """

    id = AutoField()
    physio = ForeignKeyField(User, null=True, backref="audit_written", on_delete="SET NULL")
    physio_name = CharField(max_length=100)
    patient = ForeignKeyField(User, backref="audit_log", on_delete="CASCADE")
    action = CharField(max_length=32)
    detail = CharField(max_length=200, default="")
    at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("patient", "at"), False),)


class Comment(Synced):
    """A physio's comment on one entry, or on the patient as a whole; pulled by the patient."""

    key = CharField(max_length=36, primary_key=True)
    patient = ForeignKeyField(User, backref="comments", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, backref="comments_written", on_delete="SET NULL")
    author_name = CharField(max_length=100)
    entry_key = CharField(max_length=36, null=True)
    text = TextField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("patient", "version"), False),)

    @classmethod
    def visible_to(cls, user):
        """Select the comments a member pulls: those about them."""
        return cls.select().where(cls.patient == user)

    def wire(self):
        """Return the comment as the PWA sees it."""
        return {"key": self.key, "text": self.text, "entry_key": self.entry_key,
                "author": {"id": self.author_id, "display_name": self.author_name},
                "self_started": self.author_id == self.patient_id,
                "created_at": stamp(self.created_at)}

    def to_change(self):
        return {"entity": "comment", "key": self.key, "version": self.version,
                "deleted": self.deleted, "data": None if self.deleted else self.wire()}


class Assignment(Synced):
    """A programme, a catalogue routine or a physio's own routine, set from a start date.

    A composed routine lives here, in `routine`, with its timeline: it is one patient's plan,
    not part of the public catalogue. `plan` lists what to do when: [{"routine", "from", "to",
    "sessions_per_week"}], one item for a routine, one per phase for a programme.
    """

    key = CharField(max_length=36, primary_key=True)
    patient = ForeignKeyField(User, backref="assignments", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, backref="assignments_written",
                             on_delete="SET NULL")
    author_name = CharField(max_length=100)
    kind = CharField(max_length=16)
    slug = CharField(max_length=60)
    title = CharField(max_length=100)
    start_date = DateField()
    note = TextField(default="")
    routine = JSONField(null=True)
    plan = JSONField(default=list)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("patient", "version"), False),)

    @classmethod
    def visible_to(cls, user):
        """Select the assignments a member pulls: their own."""
        return cls.select().where(cls.patient == user)

    def wire(self):
        """Return the assignment as the PWA sees it."""
        return {"key": self.key, "kind": self.kind, "slug": self.slug, "title": self.title,
                "start_date": self.start_date.isoformat(), "note": self.note,
                "routine": self.routine, "plan": self.plan,
                "author": {"id": self.author_id, "display_name": self.author_name},
                "self_started": self.author_id == self.patient_id,
                "created_at": stamp(self.created_at)}

    def to_change(self):
        return {"entity": "assignment", "key": self.key, "version": self.version,
                "deleted": self.deleted, "data": None if self.deleted else self.wire()}
