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


class Raw:
    """JSON text this app wrote and stored, put into an answer as it is, without parsing it
    and writing it again: a pull page of 500 entries spent 40% of its time doing that."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return f"Raw({self.text!r})"


def _fast_default(value):
    if isinstance(value, Raw):
        return orjson.Fragment(value.text)
    return DefaultJSONProvider.default(value)


def _plain_default(value):
    if isinstance(value, Raw):
        return loads(value.text)
    return DefaultJSONProvider.default(value)


def dumps(value):
    """Return compact JSON text (a Raw value is written as the text it holds)."""
    try:
        return orjson.dumps(value, default=_fast_default, option=OPTIONS).decode()
    except orjson.JSONEncodeError:
        # ASCII output writes a lone surrogate as its escape.
        return json.dumps(value, default=_plain_default, separators=(",", ":"))


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
