"""Web Push shapes: the browser's PushSubscription JSON, a stored subscription, the VAPID key."""

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric import ec
from marshmallow import Schema, ValidationError, fields, post_load, validate

from schemas.times import UtcDateTime

MAX_ENDPOINT = 2048


def unb64url(text):
    """Decode base64url text, padded or not; refuse anything else."""
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("Must be base64url text.") from None


def b64url(raw):
    """Return unpadded base64url text."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def check_p256dh(value):
    """Refuse anything but an uncompressed P-256 public key."""
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(value))
    except ValueError:
        raise ValidationError("Must be the browser's P-256 public key (65 bytes, base64url).") from None
    if len(unb64url(value)) != 65:
        raise ValidationError("Must be the browser's P-256 public key (65 bytes, base64url).")


def check_auth(value):
    """Refuse anything but a 16-byte auth secret."""
    if len(unb64url(value)) != 16:
        raise ValidationError("Must be the browser's 16-byte auth secret (base64url).")


class SubscriptionKeysSchema(Schema):
    p256dh = fields.String(required=True, validate=[validate.Length(max=100), check_p256dh])
    auth = fields.String(required=True, validate=[validate.Length(max=40), check_auth])

    @post_load
    def normalise(self, data, **kwargs):
        """Store the keys unpadded, as browsers send them."""
        return {name: b64url(unb64url(value)) for name, value in data.items()}


class PushSubscriptionSchema(Schema):
    """The JSON of a browser PushSubscription (`subscription.toJSON()`)."""

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=MAX_ENDPOINT))
    expirationTime = fields.Float(allow_none=True, load_default=None, allow_nan=False,
                                  validate=validate.Range(min=0))
    keys = fields.Nested(SubscriptionKeysSchema, required=True)


class StoredSubscriptionSchema(Schema):
    """A subscription as the server keeps it (the keys stay on the server)."""

    id = fields.Integer(dump_only=True)
    endpoint = fields.String(dump_only=True)
    device_name = fields.String(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    last_sent_at = UtcDateTime(dump_only=True, allow_none=True)
    failures = fields.Integer(dump_only=True)


class VapidPublicKeySchema(Schema):
    """The applicationServerKey for `pushManager.subscribe()`."""

    public_key = fields.String(dump_only=True)


push_subscription_schema = PushSubscriptionSchema()
stored_subscription_schema = StoredSubscriptionSchema()
stored_subscriptions_schema = StoredSubscriptionSchema(many=True)
vapid_public_key_schema = VapidPublicKeySchema()
