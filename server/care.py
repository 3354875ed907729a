"""Care: a physio sees a patient's diary only while the patient consents, and every look is
written down for the patient to read.

Consent starts with a one-time invite code the physio hands over (stored only as a hash,
expiring, used once); the patient previews who will see what, then accepts. Revoking ends
access at once: every physio action on a patient goes through `act`, which finds only links in
force and writes the audit row only when the action succeeded. A physio who asks for anyone
else gets the same 404 as for a patient who does not exist.
"""

import contextlib
import datetime
import hashlib
import secrets
import uuid

from marshmallow import ValidationError

from schemas.care import CODE_ALPHABET, CODE_LENGTH
from server import handout
from server.db import db, insert_rows
from server.errors import NotFound
from server.models.accounts import User, utcnow
from server.models.care import Assignment, AuditLog, CareLink, Comment, Invite
from server.models.content import Exercise, Programme, Routine
from server.models.diary import Entry
from server.models.sync import next_version
from server.timeline import compile_timeline

INVALID_CODE = ("This code does not work: it may be mistyped, used already or expired. "
                "Check it, or ask your physiotherapist for a new one.")
NO_PATIENT = "No patient with that id shares their diary with you."
# What a patient agrees to, in the words the preview shows before they accept.
SHARES = (
    "Your cramp episodes: when, which muscle and side, how strong, how long, the context, "
    "possible triggers, what helped, warning signs and your notes.",
    "Your drinks and the routines you log.",
    "Charts, summaries and exports (CSV, FHIR, PDF) made from them.",
    "They can send you comments and assign routines or programmes, which appear in your app.",
    "Each time they look, it is written in a log you can read. You can stop sharing at any time.",
)


def hash_code(code):
    """Return the stored form of an invite code (random and short-lived, so SHA-256 suffices)."""
    return hashlib.sha256(code.encode()).hexdigest()


def new_code():
    """Return a fresh random code: 10 characters of base 32, 50 bits."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code):
    """Split a code in two halves so it reads aloud and types easily: ABCDE-FGHJK."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def create_invite(physio, label="", valid_hours=72, now=None):
    """Create an invite and return it with its code, which is shown this once."""
    now = now or utcnow()
    code = new_code()
    invite = Invite.create(physio=physio, code_hash=hash_code(code), label=label, created_at=now,
                           expires_at=now + datetime.timedelta(hours=valid_hours))
    return invite, format_code(code)


def find_invite(code, now=None):
    """Return the usable invite for a code, or answer 404 without saying why."""
    invite = Invite.usable(hash_code(code), now or utcnow()).first()
    if invite is None:
        raise NotFound(INVALID_CODE)
    return invite


def preview(code, now=None):
    """Say who would see what if the patient accepted this code."""
    invite = find_invite(code, now)
    return {"physio": invite.physio, "shares": list(SHARES), "expires_at": invite.expires_at}


def accept(patient, code, now=None):
    """Consume the code and link the patient to its physio; return the link in force."""
    now = now or utcnow()
    with db.atomic():
        invite = find_invite(code, now)
        # Only one acceptance can flip used_at from null: a code raced by two people links one.
        taken = (Invite.update(used_at=now)
                 .where((Invite.id == invite.id) & Invite.used_at.is_null())
                 .execute())
        if not taken:
            raise NotFound(INVALID_CODE)
        link = CareLink.between(invite.physio, patient.id).first()
        if link is None:
            link = CareLink.create(physio=invite.physio, patient=patient, created_at=now)
    return link


def links_of(user):
    """Select every link the user is part of, newest first, with both people."""
    Physio, Patient = User.alias(), User.alias()
    return (CareLink.select(CareLink, Physio, Patient)
            .join(Physio, on=(CareLink.physio == Physio.id), attr="physio")
            .switch(CareLink)
            .join(Patient, on=(CareLink.patient == Patient.id), attr="patient")
            .where((CareLink.patient == user) | (CareLink.physio == user))
            .order_by(CareLink.created_at.desc(), CareLink.id.desc()))


def revoke(patient, link_id, now=None):
    """End the patient's consent on one link at once; revoking twice changes nothing."""
    link = CareLink.get_or_none((CareLink.id == link_id) & (CareLink.patient == patient))
    if link is None:
        raise NotFound("No sharing link with that id.")
    if link.revoked_at is None:
        link.revoked_at = now or utcnow()
        CareLink.update(revoked_at=link.revoked_at).where(CareLink.id == link.id).execute()
    return link


def patient_of(physio, patient_id):
    """Return (patient, link) while the patient consents to this physio; 404 otherwise."""
    link = CareLink.between(physio, patient_id).first()
    if link is None:
        raise NotFound(NO_PATIENT)
    return link.patient, link


class Visit:
    """A physio's access to one consenting patient for one action, and what the log will say."""

    def __init__(self, patient, link):
        self.patient, self.link, self.detail = patient, link, ""


@contextlib.contextmanager
def act(physio, patient_id, action):
    """Open a consenting patient for one action; log it only if the action succeeds.

    The consent check, the action (a read too) and its audit row are one transaction, so a
    refused or failed request leaves no row and no half-done write. Set `visit.detail` from
    what the action found, never from client text that named nothing.
    """
    with db.atomic():
        visit = Visit(*patient_of(physio, patient_id))
        yield visit
        audit(physio, [visit.patient.id], action, visit.detail)


def look_over(physio, rank):
    """Return `rank(physio)`, the consenting patients, logging the look at each in one go."""
    with db.atomic():
        rows = rank(physio)
        audit(physio, [row["id"] for row in rows], "list", "attention reasons in the patient list")
    return rows


def audit(physio, patient_ids, action, detail=""):
    """Write down that a physio acted on these patients' data, one row each."""
    now = utcnow()
    insert_rows(AuditLog, [{"physio": physio.id, "physio_name": physio.display_name,
                            "patient": patient_id, "action": action, "detail": detail[:200],
                            "at": now} for patient_id in patient_ids])


def audit_trail(patient, limit=200):
    """Select the latest entries of the patient's audit log, newest first."""
    return (AuditLog.select()
            .where(AuditLog.patient == patient)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(limit))


def mark_reviewed(link, now=None):
    """Record that the physio has gone through the patient's warning signs."""
    link.reviewed_at = now or utcnow()
    CareLink.update(reviewed_at=link.reviewed_at).where(CareLink.id == link.id).execute()
    return link


# --- The way back: comments and assignments, synced to the patient's devices ---------------

def add_comment(physio, patient, text, entry_key=None):
    """Write a comment on the patient or on one of their entries."""
    if entry_key is not None and not (Entry.live_for(patient)
                                      .where(Entry.key == entry_key).exists()):
        raise ValidationError({"entry_key": ["No entry with that key in this diary."]})
    with db.atomic():
        return Comment.create(key=str(uuid.uuid4()), patient=patient, author=physio,
                              author_name=physio.display_name, entry_key=entry_key, text=text,
                              version=next_version())


def comments_on(patient):
    """Select the live comments on a patient, newest first."""
    return (Comment.select()
            .where((Comment.patient == patient) & (Comment.deleted == False))  # noqa: E712
            .order_by(Comment.created_at.desc()))


def withdraw(model, physio, patient, key):
    """Delete a physio's own comment or assignment and return it; it syncs as a tombstone."""
    row = model.get_or_none((model.key == key) & (model.patient == patient)
                            & (model.author == physio) & (model.deleted == False))  # noqa: E712
    if row is None:
        raise NotFound("Nothing of yours with that key for this patient.")
    with db.atomic():
        now = utcnow()
        (model.update(deleted=True, deleted_at=now, updated_at=now, version=next_version())
         .where(model.key == key)
         .execute())
    return row


def assignments_of(patient):
    """Select the live assignments of a patient, newest start first."""
    return (Assignment.select()
            .where((Assignment.patient == patient)
                   & (Assignment.deleted == False))  # noqa: E712
            .order_by(Assignment.start_date.desc(), Assignment.created_at.desc()))


def catalogue_item(model, slug, field):
    """Return a catalogue item's data, or refuse the field as unknown."""
    row = model.by_slug(slug).where(model.source == "catalogue").first()
    if row is None:
        raise ValidationError({field: [f"No {field} '{slug}' in the catalogue."]})
    return row.data


def compose(composed, key):
    """Build a physio's routine from catalogue exercises with its own doses, with its timeline."""
    slugs = [item["exercise"] for item in composed["items"]]
    exercises = Exercise.data_by_slug(slugs)
    unknown = sorted(set(slugs) - set(exercises))
    if unknown:
        raise ValidationError({"composed": {"items": [f"Unknown exercise: {', '.join(unknown)}."]}})
    muscles = []
    for slug in slugs:
        muscles += [m for m in exercises[slug]["muscles"] if m not in muscles]
    routine = {"slug": f"care-{key[:8]}", "name": composed["name"],
               "summary": composed["summary"] or f"A routine from {composed['author']}.",
               "kind": "custom", "muscles": muscles, "items": composed["items"], "sources": []}
    try:
        timeline = compile_timeline(routine, exercises)
    except ValidationError as error:
        raise ValidationError({"composed": {"items": error.messages}}) from None
    return dict(routine, timeline=timeline)


def plan_for(start, routine_slug=None, sessions_per_week=7, programme=None):
    """Return what to do when: one item per programme phase, or one for a routine."""
    if programme is None:
        return [{"routine": routine_slug, "from": start.isoformat(), "to": None,
                 "sessions_per_week": sessions_per_week}]
    plan = []
    for phase in programme["phases"]:
        first, last = phase["weeks"]
        plan.append({
            "routine": phase["routine"],
            "from": (start + datetime.timedelta(weeks=first - 1)).isoformat(),
            "to": (start + datetime.timedelta(weeks=last, days=-1)).isoformat(),
            "sessions_per_week": phase["sessions_per_week"] * phase.get("times_per_day", 1),
        })
    return plan


def assign(physio, patient, body):
    """Assign a programme, a catalogue routine or a composed routine from a start date."""
    key = str(uuid.uuid4())
    start, routine = body["start_date"], None
    if body.get("programme"):
        programme = catalogue_item(Programme, body["programme"], "programme")
        kind, slug, title = "programme", programme["slug"], programme["name"]
        plan = plan_for(start, programme=programme)
    elif body.get("routine"):
        found = catalogue_item(Routine, body["routine"], "routine")
        kind, slug, title = "routine", found["slug"], found["name"]
        plan = plan_for(start, slug, body["sessions_per_week"])
    else:
        routine = compose(dict(body["composed"], author=physio.display_name), key)
        kind, slug, title = "composed", routine["slug"], routine["name"]
        plan = plan_for(start, slug, body["sessions_per_week"])
    with db.atomic():
        return Assignment.create(key=key, patient=patient, author=physio,
                                 author_name=physio.display_name, kind=kind, slug=slug,
                                 title=title, start_date=start, note=body["note"],
                                 routine=routine, plan=plan, version=next_version())


def start_own(member, body):
    """Start a catalogue programme on one's own, from a date: an assignment the person wrote
    for themselves, so it syncs, schedules and counts adherence as a physio's does, and a physio
    who is later shared with sees it among the assignments. It replaces the person's previous
    own programme, if any (a physio's assignments stay)."""
    programme = catalogue_item(Programme, body["programme"], "programme")
    start = body["start_date"]
    with db.atomic():
        own = (Assignment.patient == member) & (Assignment.author == member)
        now = utcnow()
        for key in [row.key for row in Assignment.select(Assignment.key)
                    .where(own & (Assignment.deleted == False))]:  # noqa: E712
            (Assignment.update(deleted=True, deleted_at=now, updated_at=now, version=next_version())
             .where(Assignment.key == key).execute())
        return Assignment.create(key=str(uuid.uuid4()), patient=member, author=member,
                                 author_name=member.display_name, kind="programme",
                                 slug=programme["slug"], title=programme["name"], start_date=start,
                                 note="", plan=plan_for(start, programme=programme),
                                 version=next_version())


def handout_of(assignment):
    """Return the PDF handout of one assignment: the programme with its phases' dates, the
    catalogue routine, or the physio's composed routine. It names no one."""
    if assignment.kind == "programme":
        programme = catalogue_item(Programme, assignment.slug, "programme")
        return handout.for_programme(programme, start=[item["from"] for item in assignment.plan])
    routine = assignment.routine or catalogue_item(Routine, assignment.slug, "routine")
    return handout.for_routine(routine)


def as_plan(assignment):
    """Return an assignment in the shape insights and attention read."""
    phases = [{"routines": [item["routine"]],
               "start_date": datetime.date.fromisoformat(item["from"]),
               "end_date": datetime.date.fromisoformat(item["to"]) if item["to"] else None,
               "sessions_per_week": item["sessions_per_week"]}
              for item in assignment.plan]
    return {"title": assignment.title, "start_date": assignment.start_date, "phases": phases}
