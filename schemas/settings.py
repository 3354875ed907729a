"""Per-person settings that sync like entries, one schema per settings name."""

import datetime

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.content import MEDICINES
from schemas.hydration import hydration_settings_schema
from schemas.limits import Text

IN_YEARS = validate.Range(datetime.date(1900, 1, 1), datetime.date(2999, 12, 31))
HHMM = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Use 24-hour HH:MM.")


class PreferencesSchema(Schema):
    night_mode = fields.String(load_default="auto", validate=validate.OneOf(("auto", "on", "off")))
    sleep_start = fields.String(load_default="22:30", validate=HHMM)
    sleep_end = fields.String(load_default="07:00", validate=HHMM)
    sound = fields.Boolean(load_default=True)
    vibration = fields.Boolean(load_default=True)
    drink_ml = fields.Integer(strict=True, load_default=250, validate=validate.Range(1, 5000))
    last_muscle = Text(allow_none=True, load_default=None)


class ProfileSchema(Schema):
    """Facts about the person that change what a warning sign means (server/redflags.py)."""

    pregnant = fields.Boolean(load_default=False, truthy={True}, falsy={False})
    medicines = fields.List(fields.String(validate=validate.OneOf(MEDICINES)), load_default=list,
                            validate=validate.Length(max=len(MEDICINES)),
                            metadata={"items_enum": list(MEDICINES)})
    medicine_started_on = fields.Date(allow_none=True, load_default=None, validate=IN_YEARS,
                                      metadata={"description": "When the newest medicine started"})


HABITS = ("evening-stretch", "drink-target", "evening-taper")
BLOCK_KINDS = ("with", "without")


class ExperimentSchema(Schema):
    """A self-experiment (server/experiment.py): one habit, kept in some blocks of days and left
    out in the others, in pairs that each hold one block of both kinds."""

    habit = fields.String(required=True, validate=validate.OneOf(HABITS))
    started_on = fields.Date(required=True, validate=IN_YEARS)
    block_days = fields.Integer(strict=True, required=True, validate=validate.OneOf((7, 14)))
    blocks = fields.List(fields.String(validate=validate.OneOf(BLOCK_KINDS)), required=True,
                         validate=validate.Length(2, 8),
                         metadata={"description": "In order; each pair holds one of each"})
    remind = fields.Boolean(load_default=True, truthy={True}, falsy={False},
                            metadata={"description": "A push on the morning a block changes"})
    stopped_on = fields.Date(allow_none=True, load_default=None, validate=IN_YEARS,
                             metadata={"description": "Ended early: no block counts from it"})

    @validates_schema
    def in_pairs(self, data, **kwargs):
        blocks = data.get("blocks") or []
        if len(blocks) % 2 or any(set(blocks[i:i + 2]) != set(BLOCK_KINDS)
                                  for i in range(0, len(blocks), 2)):
            raise ValidationError("Give the blocks in pairs, each with one block with the habit "
                                  "and one without it.", "blocks")
        stopped, started = data.get("stopped_on"), data.get("started_on")
        if stopped and started and stopped < started:
            raise ValidationError("Cannot stop before the start.", "stopped_on")


# Settings that stand for one thing at a time, named by these fields: a stale put about another
# one (an old experiment stopped on a device that was offline while a new one started) must
# not merge its fields into the one stored now.
IDENTITY = {"experiment": ("habit", "started_on")}

SETTINGS_SCHEMAS = {
    "preferences": PreferencesSchema(),
    "profile": ProfileSchema(),
    "hydration": hydration_settings_schema,
    "experiment": ExperimentSchema(),
}


def load_settings(name, data):
    """Validate a settings document by its name and return its stored form."""
    schema = SETTINGS_SCHEMAS.get(name)
    if schema is None:
        raise ValidationError({"key": [f"Unknown settings; use one of: {', '.join(SETTINGS_SCHEMAS)}."]})
    if not isinstance(data, dict):
        raise ValidationError({"data": ["Must be an object."]})
    return schema.dump(schema.load(data))
