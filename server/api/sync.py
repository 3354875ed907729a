"""Sync: push a client's queued mutations, pull what changed (DESIGN.md protocol v1)."""

from flask import current_app, g
from flask_restx import Namespace, Resource

from schemas.entries import ENTRY_SCHEMAS
from schemas.settings import SETTINGS_SCHEMAS
from schemas.sync import (MutationSchema, PullResultSchema, PullSchema, PushResultSchema,
                          PushSchema, pull_schema, push_schema)
from server import sync
from server.api.common import error_model, load, login_required, register_schema

api = Namespace("sync", description="Offline sync: push queued mutations, pull changes")
error = error_model(api)
push_in = register_schema(api, PushSchema, "Push")
push_out = register_schema(api, PushResultSchema, "PushResult")
pull_in = register_schema(api, PullSchema, "Pull")
pull_out = register_schema(api, PullResultSchema, "PullResult")
register_schema(api, MutationSchema, "Mutation")
for _kind, _schema in ENTRY_SCHEMAS.items():
    register_schema(api, type(_schema), f"Entry{_kind.capitalize()}")
for _name, _schema in SETTINGS_SCHEMAS.items():
    register_schema(api, type(_schema), f"Settings{_name.capitalize()}")


@api.route("/push")
class Push(Resource):
    @api.doc(security="bearer")
    @api.expect(push_in, validate=False)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(200, "Every mutation processed; see each result", push_out)
    @api.response(401, "Not signed in", error)
    @api.response(403, "Client id bound to another account, or not a member", error)
    @api.response(409, "A gap in mutation ids: resend from last_mutation_id + 1", error)
    @api.response(413, "Too many mutations in one push", error)
    @api.response(422, "Malformed push", error)
    @login_required
    def post(self):
        """Apply this client's queued mutations, each exactly once."""
        body = load(push_schema)
        return sync.push(g.user, body["client_id"], body["mutations"],
                         current_app.config["SYNC_MAX_BATCH"])


@api.route("/pull")
class Pull(Resource):
    @api.doc(security="bearer")
    @api.expect(pull_in, validate=False)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(200, "A page of changes in version order", pull_out)
    @api.response(401, "Not signed in", error)
    @api.response(403, "Client id bound to another account", error)
    @api.response(422, "Malformed pull", error)
    @login_required
    def post(self):
        """Return the changes visible to the caller after the cursor."""
        body = load(pull_schema)
        limit = min(body["limit"], current_app.config["SYNC_MAX_PULL"])
        return sync.pull(g.user, body["client_id"], body["cursor"], limit)
