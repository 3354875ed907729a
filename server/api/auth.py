"""Accounts: register, log in, log out."""

from flask import current_app, g
from flask_restx import Namespace, Resource

from schemas.accounts import (LoginSchema, RegisterSchema, SessionSchema, login_schema,
                              register_schema as register_body, session_schema)
from server import accounts
from server.api.common import error_model, load, login_required, register_schema
from server.extensions import limiter

api = Namespace("auth", description="Accounts and device tokens")
error = error_model(api)
register_in = register_schema(api, RegisterSchema)
login_in = register_schema(api, LoginSchema)
session_out = register_schema(api, SessionSchema)


def _auth_limit():
    return current_app.config["RATELIMIT_AUTH"]


@api.route("/register")
class Register(Resource):
    decorators = [limiter.limit(_auth_limit)]

    @api.expect(register_in, validate=False)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(201, "Account created; the token signs in this device", session_out)
    @api.response(409, "Email already registered", error)
    @api.response(422, "Invalid fields", error)
    @api.response(429, "Too many attempts", error)
    def post(self):
        """Create an account and sign in this device."""
        body = load(register_body)
        user, token = accounts.register(body["email"], body["password"], body["display_name"],
                                        body["role"], body["device_name"],
                                        current_app.config["TOKEN_TTL_DAYS"])
        return session_schema.dump({"user": user, "token": token}), 201


@api.route("/login")
class Login(Resource):
    decorators = [limiter.limit(_auth_limit)]

    @api.expect(login_in, validate=False)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(200, "Signed in; the token signs in this device", session_out)
    @api.response(401, "Wrong email or password", error)
    @api.response(422, "Invalid fields", error)
    @api.response(429, "Too many attempts", error)
    def post(self):
        """Sign in with email and password and get a token for this device."""
        body = load(login_schema)
        user, token = accounts.login(body["email"], body["password"], body["device_name"],
                                     current_app.config["TOKEN_TTL_DAYS"])
        return session_schema.dump({"user": user, "token": token})


@api.route("/logout")
class Logout(Resource):
    @api.doc(security="bearer")
    @api.response(204, "Token revoked")
    @api.response(401, "Not signed in", error)
    @login_required
    def post(self):
        """Revoke the token that made this request."""
        accounts.revoke(g.token)
        return "", 204
