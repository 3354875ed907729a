"""JSON in and out of the app through orjson: the sync paths move megabytes of it.

orjson parses and writes JSON several times faster than the standard library, which shows on
every push and pull; the app, flask-restx and the diary's JSON columns all go through here.

orjson refuses lone surrogates ("\ud800"), which JSON and JavaScript allow: a note cut in the
middle of an emoji carries one. Such text is read and written with the standard library instead,
so validation can refuse the one item that holds it rather than the whole request.
"""

import json

import orjson
from flask import make_response
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(value):
    """Return compact JSON text."""
    try:
        return orjson.dumps(value, default=DefaultJSONProvider.default, option=OPTIONS).decode()
    except orjson.JSONEncodeError:
        # ASCII output writes a lone surrogate as its escape.
        return json.dumps(value, default=DefaultJSONProvider.default, separators=(",", ":"))


def loads(text):
    """Return the value of JSON text; raise ValueError if it is not JSON."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:
        if "surrogate" not in str(error):
            raise
    try:
        return json.loads(text, parse_constant=_not_json)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _not_json(name):
    raise ValueError(f"{name} is not JSON")


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
