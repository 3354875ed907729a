"""The REST API: one Namespace per module, mounted on a Blueprint at /api/v1."""

from flask import Blueprint
from flask_restx import Api
from flask_restx.swagger import Swagger
from werkzeug.routing import IntegerConverter, UnicodeConverter

from schemas.limits import MAX_INT

from server.api import auth, content, health, me, sync
from server.api import hydration, push
from server.api import care
from server.api.common import render_error
from server.jsonio import output_json

NAMESPACES = (
    (health.api, "/health"),
    (auth.api, "/auth"),
    (me.api, "/me"),
    (sync.api, "/sync"),
    (content.api, "/content"),
    (hydration.api, "/hydration"),
    (push.api, "/push"),
    (care.api, "/care"),
)

AUTHORIZATIONS = {
    "bearer": {"type": "apiKey", "in": "header", "name": "Authorization",
               "description": "Bearer <token> from /auth/login or /auth/register"},
}


class BoundedInt(IntegerConverter):
    """`<int:...>` for every route: a number no database column holds matches nothing (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


class NulFreeString(UnicodeConverter):
    """`<string:...>` for every route: a segment with a NUL, which PostgreSQL refuses in any
    text, matches nothing (404), as on SQLite."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]", 1)


class CompleteSwagger(Swagger):
    def serialize_definitions(self):
        """List every model a Namespace declares, also those no route names (entry kinds)."""
        for namespace in self.api.namespaces:
            for model in namespace.models.values():
                self.register_model(model)
        return super().serialize_definitions()


class UnknotApi(Api):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.representations = {"application/json": output_json}

    def handle_error(self, e):
        """Answer every error from a resource in the one envelope."""
        return render_error(e)

    @property
    def __schema__(self):
        if not self._schema:
            self._schema = CompleteSwagger(self).as_dict()
        return self._schema


def create_blueprint():
    """Build the API blueprint with every Namespace added."""
    blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
    # Recorded before the Api records its routes, so every `<int:...>` and `<string:...>` is
    # built with them.
    blueprint.record_once(lambda state: state.app.url_map.converters.update(
        int=BoundedInt, string=NulFreeString, default=NulFreeString))
    api = UnknotApi(blueprint, title="Unknot API", version="1",
                    description="Relief, prevention and an offline-first cramp diary",
                    doc="/docs", authorizations=AUTHORIZATIONS)
    for namespace, path in NAMESPACES:
        api.add_namespace(namespace, path=path)
    return blueprint
