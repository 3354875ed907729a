"""Diary entries: one schema per kind, chosen by `kind`."""

from marshmallow import Schema, ValidationError, fields, validate

from schemas import vocabulary
from schemas.content import CONTEXTS, MUSCLES, RED_FLAG_CODES, SIDES, TRIGGERS
from schemas.fast import compile_schema
from schemas.limits import IN_CALENDAR, Text

RELIEFS = tuple(vocabulary.RELIEFS)
DRINKS = tuple(vocabulary.DRINKS)
KINDS = ("cramp", "hydration", "routine", "note")


def _choices(values, limit=20):
    return fields.List(fields.String(validate=validate.OneOf(values)), load_default=list,
                       validate=validate.Length(max=limit))


class EntryBase(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    occurred_at = fields.AwareDateTime(required=True, format="iso", validate=IN_CALENDAR,
                                       metadata={"description": "ISO 8601 with offset, "
                                                                "from the year 1900 to 2999"})


class CrampSchema(EntryBase):
    muscle = fields.String(required=True, validate=validate.OneOf(MUSCLES))
    side = fields.String(load_default="both", validate=validate.OneOf(SIDES))
    intensity = fields.Integer(strict=True, load_default=5, validate=validate.Range(0, 10))
    duration_s = fields.Integer(strict=True, allow_none=True, load_default=None,
                                validate=validate.Range(0, 24 * 3600))
    context = fields.String(load_default="other", validate=validate.OneOf(CONTEXTS))
    triggers = _choices(TRIGGERS)
    reliefs = _choices(RELIEFS)
    red_flags = _choices(RED_FLAG_CODES)
    note = Text(load_default="", validate=validate.Length(max=2000))


class HydrationSchema(EntryBase):
    volume_ml = fields.Integer(strict=True, required=True, validate=validate.Range(1, 5000))
    drink = fields.String(load_default="water", validate=validate.OneOf(DRINKS))


class RoutineLogSchema(EntryBase):
    routine = Text(required=True, validate=validate.Length(min=1, max=100))
    completed_steps = fields.Integer(strict=True, required=True, validate=validate.Range(0, 1000))
    total_steps = fields.Integer(strict=True, required=True, validate=validate.Range(1, 1000))
    duration_s = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, 24 * 3600))


class NoteSchema(EntryBase):
    text = Text(required=True, validate=validate.Length(min=1, max=5000))


ENTRY_SCHEMAS = {
    "cramp": CrampSchema(),
    "hydration": HydrationSchema(),
    "routine": RoutineLogSchema(),
    "note": NoteSchema(),
}


# The same checks, compiled for the sync hot path (see schemas/fast.py).
FAST_ENTRY = {kind: compile_schema(schema, dump=True) for kind, schema in ENTRY_SCHEMAS.items()}

# Fields the server adds to pulled entry data; a device may send them back and they are ignored.
SERVER_OWNED = frozenset({"assessment"})


def load_entry(data):
    """Validate entry data by its kind and return it in its stored (JSON) form."""
    if not isinstance(data, dict):
        raise ValidationError({"data": ["Must be an object."]})
    if not SERVER_OWNED.isdisjoint(data):
        data = {name: value for name, value in data.items() if name not in SERVER_OWNED}
    kind = data.get("kind")
    # A list or an object is no kind, and no key of a dict either.
    schema = ENTRY_SCHEMAS.get(kind) if isinstance(kind, str) else None
    if schema is None:
        raise ValidationError({"kind": [f"Must be one of: {', '.join(KINDS)}."]})
    loaded = FAST_ENTRY[data["kind"]](data)
    return loaded if loaded is not None else schema.dump(schema.load(data))
