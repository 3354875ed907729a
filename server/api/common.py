"""What every Namespace shares: authentication, body parsing, lookups, errors, Swagger models."""

import functools

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, g, jsonify, request
from flask_limiter import RateLimitExceeded
from flask_restx import abort
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from schemas.errors import ErrorSchema
from schemas.fast import fast_loader
from server import accounts
from server.db import discard, unavailable
from server.errors import DomainError, NotFound
from server.extensions import breach


def error_response(status, message, fields=None, **extra):
    """Build the one error envelope: {"error", "message", "fields"?}."""
    body = {"error": HTTP_STATUS_CODES.get(status, "Error"), "message": message}
    if fields is not None:
        body["fields"] = fields
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    return response


def render_error(error):
    """Turn any exception into the envelope; never a trace, never an HTML page."""
    if isinstance(error, ValidationError):
        return error_response(422, "Some fields are not valid; see fields.",
                              fields=error.normalized_messages())
    if isinstance(error, DomainError):
        return error_response(error.status, error.message, **error.extra)
    if isinstance(error, RateLimitExceeded):
        message, wait = breach()
        response = error_response(429, message)
        response.headers["Retry-After"] = str(wait)
        return response
    if unavailable(error):
        discard()
        current_app.logger.warning("Database unavailable: %s", error)
        response = error_response(503, _MESSAGES[503])
        response.headers.update(RETRY_AFTER)
        return response
    if not isinstance(error, HTTPException):
        current_app.logger.exception("Unhandled error", exc_info=error)
        error = InternalServerError()
    message = getattr(error, "data", {}).get("message") if hasattr(error, "data") else None
    response = error_response(error.code, message or _MESSAGES.get(error.code, error.description))
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


_MESSAGES = {
    400: "The request could not be understood; check that the body is valid JSON.",
    401: "Sign in to continue.",
    403: "Your account cannot do this.",
    404: "Nothing here; check the address.",
    405: "This address does not accept that method.",
    413: "The request is too large; send less at once.",
    415: "Send the body as application/json.",
    500: "Something went wrong on our side; nothing was saved, so try again.",
    503: "The database is unavailable for a moment; nothing was saved, so try again shortly.",
}
# Long enough for a lock to clear or a database to restart, short enough that a queue drains soon.
RETRY_AFTER = {"Retry-After": "5"}


def load(schema):
    """Parse the JSON body with a marshmallow schema (400 if not JSON, 422 if not valid)."""
    body = request.get_json(force=True, silent=True)
    if body is None:
        abort(400, "The request body must be a JSON object.")
    loaded = fast_loader(schema)(body)
    return loaded if loaded is not None else schema.load(body)


def get_or_404(query, message="Nothing here with that id."):
    """Return the query's first row or answer 404."""
    row = query.first()
    if row is None:
        raise NotFound(message)
    return row


def _bearer_token():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def login_required(view):
    """Let the view run only for a live bearer token; the user is in g.user."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        token = _bearer_token()
        if token is None:
            return error_response(401, "Sign in to continue.")
        g.user = accounts.authenticate(token, current_app.config["TOKEN_TTL_DAYS"])
        g.token = token
        return view(*args, **kwargs)
    return wrapper


def role_required(role):
    """Let the view run only for signed-in users with this role (403 otherwise)."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if g.user.role != role:
                return error_response(403, f"Only a {role} account can do this.")
            return view(*args, **kwargs)
        return login_required(wrapper)
    return decorator


@functools.cache
def _converter():
    """Build the marshmallow-to-JSON-schema converter once (inline every nested schema)."""
    plugin = MarshmallowPlugin(schema_name_resolver=lambda schema: None)
    APISpec(title="Unknot", version="1", openapi_version="2.0", plugins=[plugin])
    return plugin.converter


def register_schema(api, schema_cls, name=None):
    """Reflect a marshmallow schema into the Swagger document of this Namespace."""
    name = name or schema_cls.__name__.removesuffix("Schema")
    return api.schema_model(name, _converter().schema2jsonschema(schema_cls()))


def error_model(api):
    """Register the error envelope on a Namespace, for its @api.response declarations."""
    return register_schema(api, ErrorSchema, "Error")
