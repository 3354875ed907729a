"""JSON in and out of the app through orjson: the sync paths move megabytes of it.

orjson parses and writes JSON several times faster than the standard library, which shows on
every push and pull; the app, flask-restx and the diary's JSON columns all go through here.
"""

import orjson
from flask import make_response
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(value):
    """Return compact JSON text."""
    return orjson.dumps(value, default=DefaultJSONProvider.default, option=OPTIONS).decode()


loads = orjson.loads


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson underneath (always compact, keys in given order)."""

    def dumps(self, obj, **kwargs):
        return dumps(obj)

    def loads(self, s, **kwargs):
        return loads(s)


def output_json(data, code, headers=None):
    """Render a flask-restx resource's result as JSON."""
    response = make_response(dumps(data) + "\n", code)
    response.headers.extend(headers or {})
    return response
