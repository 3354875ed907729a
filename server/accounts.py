"""Accounts: registration, password checks and device tokens (opaque, stored only as hashes)."""

import datetime
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from peewee import IntegrityError

from server.db import db
from server.errors import Conflict, Unauthorized
from server.models.accounts import Token, User, utcnow

_hasher = PasswordHasher()
# A real hash to verify against when the email is unknown, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("unknot-timing-equaliser")
# Sliding expiry is written back at most this often, to keep reads cheap.
TOUCH_EVERY = datetime.timedelta(minutes=5)


def hash_token(token):
    """Return the stored form of a bearer token (tokens are random, so SHA-256 suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user, device_name, ttl_days):
    """Create a device token for the user and return its plaintext, shown only once."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    Token.create(user=user, token_hash=hash_token(token), device_name=device_name or "",
                 created_at=now, last_used_at=now,
                 expires_at=now + datetime.timedelta(days=ttl_days))
    return token


def register(email, password, display_name, role, device_name, ttl_days):
    """Create an account and its first token; refuse an email already in use."""
    # Hash first: on SQLite the transaction holds the write lock, and every push would wait on
    # argon2 (a crowd signing up at once ran past the 5 s busy timeout into 503s).
    password_hash = _hasher.hash(password)
    try:
        with db.atomic():
            user = User.create(email=email.lower(), password_hash=password_hash,
                               display_name=display_name, role=role)
            return user, issue_token(user, device_name, ttl_days)
    except IntegrityError:
        raise Conflict("An account with this email already exists; sign in instead.") from None


def verify(user, verified=True):
    """Mark a physiotherapist account as checked by the operator (or take it back)."""
    user.verified = verified
    User.update(verified=verified).where(User.id == user.id).execute()


def login(email, password, device_name, ttl_days):
    """Check the password and return the user with a new device token."""
    user = User.get_or_none(User.email == email.lower())
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, InvalidHashError):
        user = None
    if user is None:
        raise Unauthorized("Email or password is wrong.")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        user.save()
    with db.atomic():
        return user, issue_token(user, device_name, ttl_days)


def authenticate(token, ttl_days):
    """Return the user a live token belongs to, sliding its expiry; refuse anything else."""
    now = utcnow()
    found = Token.with_owner(hash_token(token))
    row, user = found or (None, None)
    if row is None or row.revoked or row.expires_at <= now:
        raise Unauthorized("Your session has ended; sign in again.")
    if now - row.last_used_at > TOUCH_EVERY:
        (Token
         .update(last_used_at=now, expires_at=now + datetime.timedelta(days=ttl_days))
         .where(Token.id == row.id)
         .execute())
    return user


def revoke(token):
    """Revoke one token so it can never be used again."""
    Token.update(revoked=True).where(Token.token_hash == hash_token(token)).execute()
