"""Per-person settings that sync like entries, one schema per settings name."""

from marshmallow import Schema, ValidationError, fields, validate

from schemas.hydration import hydration_settings_schema
from schemas.limits import Text

HHMM = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Use 24-hour HH:MM.")


class PreferencesSchema(Schema):
    night_mode = fields.String(load_default="auto", validate=validate.OneOf(("auto", "on", "off")))
    sleep_start = fields.String(load_default="22:30", validate=HHMM)
    sleep_end = fields.String(load_default="07:00", validate=HHMM)
    sound = fields.Boolean(load_default=True)
    vibration = fields.Boolean(load_default=True)
    drink_ml = fields.Integer(strict=True, load_default=250, validate=validate.Range(1, 5000))
    last_muscle = Text(allow_none=True, load_default=None)


SETTINGS_SCHEMAS = {
    "preferences": PreferencesSchema(),
    "hydration": hydration_settings_schema,
}


def load_settings(name, data):
    """Validate a settings document by its name and return its stored form."""
    schema = SETTINGS_SCHEMAS.get(name)
    if schema is None:
        raise ValidationError({"key": [f"Unknown settings; use one of: {', '.join(SETTINGS_SCHEMAS)}."]})
    if not isinstance(data, dict):
        raise ValidationError({"data": ["Must be an object."]})
    return schema.dump(schema.load(data))
