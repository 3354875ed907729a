"""A person's rights over their own data: a full copy of it, and erasing the account."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

from server.care import audit_trail, links_of
from server.db import db
from server.errors import Forbidden
from server.models.care import Assignment, Comment, Invite, stamp
from server.models.diary import Entry, Setting


def live(field, user):
    """Select the rows of a synced model that belong to the user and are not deleted."""
    model = field.model
    return model.select().where((field == user) & (model.deleted == False))  # noqa: E712


def own_data(user):
    """Return everything the server holds about the person, in their own wire formats."""
    entries = live(Entry.user, user).order_by(Entry.occurred_at, Entry.key)
    settings = live(Setting.user, user)
    comments = live(Comment.patient, user).order_by(Comment.created_at)
    assignments = live(Assignment.patient, user).order_by(Assignment.created_at)
    invites = Invite.select().where(Invite.physio == user).order_by(Invite.created_at)
    return {
        "user": {"id": user.id, "email": user.email, "display_name": user.display_name,
                 "role": user.role, "created_at": stamp(user.created_at)},
        "entries": [dict(row.data, key=row.key, assessment=row.assessment) for row in entries],
        "settings": {row.name: row.data for row in settings},
        "comments": [row.wire() for row in comments],
        "assignments": [row.wire() for row in assignments],
        "links": [{"id": link.id, "physio": link.physio.display_name,
                   "patient": link.patient.display_name, "created_at": stamp(link.created_at),
                   "revoked_at": stamp(link.revoked_at)} for link in links_of(user)],
        "invites": [{"label": row.label, "created_at": stamp(row.created_at),
                     "expires_at": stamp(row.expires_at), "used_at": stamp(row.used_at)}
                    for row in invites],
        "audit": [{"at": stamp(row.at), "physio": row.physio_name, "action": row.action,
                   "detail": row.detail} for row in audit_trail(user, limit=None)],
    }


def check_password(user, password):
    """Refuse unless the password is the account's own (a stolen token alone cannot erase it)."""
    try:
        PasswordHasher().verify(user.password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        raise Forbidden("That password is not right; the account is unchanged.") from None


def delete_account(user, password):
    """Erase the account with its diary, settings, devices, links, invites and audit trail.

    What a physio wrote to other patients stays with them, under the physio's name.
    """
    check_password(user, password)
    with db.atomic():
        user.delete_instance(recursive=True)
