"""Accounts: registration, login and the user as others see it."""

from marshmallow import Schema, fields, validate

from schemas.limits import Text
from schemas.times import UtcDateTime

ROLES = ("member", "physio")


class UserSchema(Schema):
    id = fields.Integer(dump_only=True)
    email = fields.Email(dump_only=True)
    display_name = Text(dump_only=True)
    role = fields.String(dump_only=True, metadata={"enum": list(ROLES)})
    verified = fields.Boolean(dump_only=True, metadata={
        "description": "A physiotherapist account verified by the server's operator"})
    created_at = UtcDateTime(dump_only=True)


class RegisterSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = Text(required=True, load_only=True, validate=validate.Length(min=8, max=200))
    display_name = Text(required=True, validate=validate.Length(min=1, max=100))
    role = fields.String(load_default="member", validate=validate.OneOf(ROLES))
    device_name = Text(load_default="", validate=validate.Length(max=100))


class LoginSchema(Schema):
    email = fields.Email(required=True)
    password = Text(required=True, load_only=True, validate=validate.Length(max=200))
    device_name = Text(load_default="", validate=validate.Length(max=100))


class SessionSchema(Schema):
    user = fields.Nested(UserSchema, dump_only=True)
    token = fields.String(dump_only=True, metadata={"description": "Bearer token for this device"})


user_schema = UserSchema()
register_schema = RegisterSchema()
login_schema = LoginSchema()
session_schema = SessionSchema()
