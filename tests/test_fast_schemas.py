"""The compiled fast path agrees with marshmallow on every input it accepts."""

import datetime

import pytest
from hypothesis import given, settings, strategies as st
from marshmallow import ValidationError, fields

from schemas.entries import ENTRY_SCHEMAS, FAST_ENTRY, load_entry
from schemas.accounts import login_schema, register_schema
from schemas.fast import compile_schema, fast_loader
from schemas.sync import fast_mutation, mutation_schema, pull_schema, push_schema
from tests.edges import INTEGERS, MOMENTS, TEXTS
from tests.sync_helpers import cramp

TIMES = st.one_of(
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["2026-11-20T23:10:00Z", "2026-11-20T23:10:00.5+01:00", "2026-13-01T00:00:00Z",
                     "2026-11-20 23:10:00+01:00", "2026-11-20T23:10:00+25:00", "yesterday", ""]),
)


def valid_values(field):
    """Values the field accepts."""
    if isinstance(field, fields.AwareDateTime):
        return st.datetimes(min_value=datetime.datetime(1900, 1, 2),
                            max_value=datetime.datetime(2999, 12, 30),
                            timezones=st.timezones()).map(lambda d: d.isoformat())
    if isinstance(field, fields.List):
        return st.lists(valid_values(field.inner), max_size=3)
    if isinstance(field, fields.Boolean):
        return st.booleans()
    if isinstance(field, fields.UUID):
        return st.uuids().map(str)
    if isinstance(field, fields.Dict):
        return st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
    for rule in field.validators:
        if getattr(rule, "choices", None):
            return st.sampled_from(list(rule.choices))
        if isinstance(field, fields.Integer) and hasattr(rule, "min_inclusive"):
            return st.integers(rule.min if rule.min is not None else -10,
                               rule.max if rule.max is not None else 10 ** 6)
    if isinstance(field, fields.Integer):
        return st.integers(0, 10 ** 6)
    return st.text(min_size=1, max_size=20)


JUNK = st.one_of(st.none(), st.booleans(), st.integers(-3, 6000), st.floats(allow_nan=True),
                 st.text(max_size=8), st.lists(st.text(max_size=3), max_size=2), TIMES)


@st.composite
def documents(draw, schema):
    """A valid document for the schema, often spoiled in one place."""
    data = {}
    for name, field in schema.fields.items():
        if field.required or draw(st.booleans()):
            data[name] = draw(valid_values(field))
    spoil = draw(st.sampled_from(["none", "junk", "drop", "extra"]))
    name = draw(st.sampled_from(sorted(schema.fields)))
    if spoil == "junk":
        data[name] = draw(JUNK)
    elif spoil == "drop":
        data.pop(name, None)
    elif spoil == "extra":
        data["colour"] = "red"
    return data


def slow(schema, data, dump):
    try:
        loaded = schema.load(data)
    except ValidationError:
        return "invalid"
    return schema.dump(loaded) if dump else loaded


@pytest.mark.parametrize("kind", sorted(ENTRY_SCHEMAS))
def test_entry_fast_path_agrees_with_marshmallow(kind):
    schema = ENTRY_SCHEMAS[kind]

    @settings(max_examples=300, deadline=None)
    @given(documents(schema).map(lambda d: dict(d, kind=kind)))
    def agree(data):
        fast = FAST_ENTRY[kind](data)
        if fast is not None:
            assert fast == slow(schema, data, dump=True)
    agree()


SCHEMAS = [mutation_schema, push_schema, pull_schema, register_schema, login_schema]


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda schema: type(schema).__name__)
def test_request_fast_paths_agree_with_marshmallow(schema):
    @settings(max_examples=200, deadline=None)
    @given(documents(schema))
    def agree(data):
        fast = fast_loader(schema)(data)
        if fast is not None:
            assert fast == slow(schema, data, dump=False)
    agree()


@pytest.mark.parametrize("kind", sorted(ENTRY_SCHEMAS))
def test_both_paths_agree_at_the_edges(kind):
    schema = ENTRY_SCHEMAS[kind]
    texts = [name for name, field in schema.fields.items()
             if isinstance(field, fields.String) and name != "kind"]
    numbers = [name for name, field in schema.fields.items() if isinstance(field, fields.Integer)]

    @settings(max_examples=150, deadline=None)
    @given(documents(schema), MOMENTS, st.sampled_from(texts), TEXTS,
           st.sampled_from(numbers or ["kind"]), INTEGERS)
    def agree(data, moment, text_name, text, number_name, number):
        data = dict(data, **{"occurred_at": moment, text_name: text})
        data["kind"] = kind
        if numbers:
            data[number_name] = number
        fast = FAST_ENTRY[kind](data)
        if fast is not None:
            assert fast == slow(schema, data, dump=True)
    agree()


def test_plain_valid_input_takes_the_fast_path():
    assert FAST_ENTRY["cramp"](cramp(triggers=["heat"])) == load_entry(cramp(triggers=["heat"]))
    assert fast_mutation({"id": 1, "op": "delete", "entity": "entry", "key": "k"}) == {
        "id": 1, "op": "delete", "entity": "entry", "key": "k", "base_version": 0, "data": None}


def test_schemas_with_unknown_parts_are_never_sure():
    class Odd(ENTRY_SCHEMAS["note"].__class__):
        weight = fields.Float()
    assert compile_schema(Odd())({"kind": "note", "text": "x"}) is None


@pytest.mark.parametrize("data", [cramp(note="a\x00b"), cramp(note="\ud800"),
                                  cramp(occurred_at="0001-01-01T00:00:00+14:00"),
                                  cramp(occurred_at="9999-12-31T23:59:59-14:00"),
                                  cramp(occurred_at="1899-12-31T23:59:59Z")])
def test_the_fast_path_leaves_what_cannot_be_stored_to_marshmallow(data):
    assert FAST_ENTRY["cramp"](data) is None
    assert slow(ENTRY_SCHEMAS["cramp"], data, dump=True) == "invalid"


def test_the_fast_path_takes_the_calendar_ends():
    for moment in ("1900-01-01T00:00:00Z", "2999-12-31T23:59:59+00:00"):
        data = cramp(occurred_at=moment)
        assert FAST_ENTRY["cramp"](data) == load_entry(data)
