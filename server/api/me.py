"""The signed-in person."""

from flask import g
from flask_restx import Namespace, Resource

from schemas.accounts import UserSchema, user_schema
from server.api.common import error_model, login_required, register_schema

api = Namespace("me", description="The signed-in person")
error = error_model(api)
user_out = register_schema(api, UserSchema, "User")


@api.route("")
class Me(Resource):
    @api.doc(security="bearer")
    @api.response(200, "The caller's profile", user_out)
    @api.response(401, "Not signed in", error)
    @login_required
    def get(self):
        """Return the caller's profile."""
        return user_schema.dump(g.user)
