"""Hydration shapes: the person's settings, the day's summary and the reminder payload.

The settings travel through sync as the settings entity with key "hydration". Their loaded
form stays JSON-native (times as "HH:MM", instants as ISO 8601 strings with an offset), so the
stored copy, the wire copy and what the domain code reads are the same document.

Target rules, with their sources:
- `baseline_ml` (default 1200): UK guidance of 6-8 glasses, about 1.2 litres of fluid a day.
- `per_kg_ml` with `body_weight_kg`: an opt-in weight-based rule. NICE guideline CG174
  (intravenous fluid therapy in adults in hospital, 2013, updated 2017) gives 25-30 ml/kg/day
  of water for routine maintenance; 30 ml/kg is a common rule of thumb. It covers all water,
  some of which comes from food, so it is offered as a choice, never imposed. Up to 35 ml/kg
  is accepted, and the rule counts at most 100 kg of body weight: for people who are obese
  CG174 asks for ideal rather than actual weight and notes that adults rarely need more than
  3 litres a day.
- `fluid_limit_ml` (500-3000, none by default): the daily limit a doctor has set (heart failure,
  kidney disease). The target never goes above it, whatever the heat or exercise, and no
  reminder goes out: the limit is a ceiling, not a goal.
- `evening_taper`: none means not chosen, and the server then tapers the evening for anyone
  who logged a night cramp in the last 90 days (fewer night-time trips to pass urine).
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.limits import check_instant

CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
# Names zoneinfo accepts that do not name a place: they would follow the server, not the person.
NOT_A_PLACE = {"localtime", "Factory", "posixrules"}
MIN_SLEEP = timedelta(hours=3)
MIN_AWAKE = timedelta(hours=4)
MAX_WORKOUT = timedelta(hours=6)


def minutes_of(clock):
    """Return the minutes since midnight of an "HH:MM" string."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def check_clock(value):
    """Refuse anything but a 24-hour "HH:MM" time."""
    if not CLOCK.fullmatch(value):
        raise ValidationError("Use a 24-hour time such as 07:30.")


def check_timezone(value):
    """Refuse anything that is not an IANA time zone name known to this server."""
    if len(value) > 64:
        raise ValidationError("Time zone names are at most 64 characters.")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError("Use an IANA time zone name such as Europe/London.") from None
    if value in NOT_A_PLACE:
        raise ValidationError("Use an IANA time zone name such as Europe/London.")


def parse_instant(value):
    """Return the aware datetime of an ISO 8601 string that carries an offset, in the calendar."""
    try:
        instant = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError("Use an ISO 8601 date and time with an offset.") from None
    if instant.utcoffset() is None:
        raise ValidationError("Add the time zone offset, for example +01:00 or Z.")
    return check_instant(instant)


def span(start, end):
    """Return the wall-clock length from start to end, wrapping past midnight."""
    return timedelta(minutes=(minutes_of(end) - minutes_of(start)) % (24 * 60))


class QuietHoursSchema(Schema):
    """A daily stretch of local time with no reminders; it may cross midnight."""

    start = fields.String(required=True, validate=check_clock)
    end = fields.String(required=True, validate=check_clock)

    @validates_schema
    def check_length(self, data, **kwargs):
        """Refuse an empty stretch."""
        if data["start"] == data["end"]:
            raise ValidationError("Quiet hours need different start and end times.", "end")


class WorkoutSchema(Schema):
    """A workout in progress: reminders come more often and the target grows."""

    started_at = fields.String(required=True, validate=parse_instant)
    ends_at = fields.String(required=True, validate=parse_instant)

    @validates_schema
    def check_span(self, data, **kwargs):
        """Refuse a workout that ends before it starts or runs implausibly long."""
        length = parse_instant(data["ends_at"]) - parse_instant(data["started_at"])
        if length <= timedelta(0):
            raise ValidationError("A workout must end after it starts.", "ends_at")
        if length > MAX_WORKOUT:
            raise ValidationError("A workout can last at most 6 hours.", "ends_at")


class HydrationSettingsSchema(Schema):
    """A person's hydration settings (the synced settings entity "hydration")."""

    body_weight_kg = fields.Float(
        allow_none=True, load_default=None, allow_nan=False, validate=validate.Range(20, 350)
    )
    baseline_ml = fields.Integer(strict=True, load_default=1200, validate=validate.Range(500, 4000))
    per_kg_ml = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=validate.Range(20, 35)
    )
    fluid_limit_ml = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=validate.Range(500, 3000)
    )
    timezone = fields.String(load_default="UTC", validate=check_timezone)
    wake = fields.String(load_default="07:00", validate=check_clock)
    sleep = fields.String(load_default="22:30", validate=check_clock)
    quiet_hours = fields.List(
        fields.Nested(QuietHoursSchema), load_default=list, validate=validate.Length(max=6)
    )
    interval_min = fields.Integer(strict=True, load_default=90, validate=validate.Range(30, 240))
    evening_taper = fields.Boolean(allow_none=True, load_default=None)
    units = fields.String(load_default="ml", validate=validate.OneOf(["ml", "floz"]))
    reminders_enabled = fields.Boolean(load_default=False)
    hot_weather = fields.Boolean(load_default=False)
    workout = fields.Nested(WorkoutSchema, allow_none=True, load_default=None)

    @validates_schema
    def check_day(self, data, **kwargs):
        """Refuse a sleep or waking window too short to schedule around."""
        if "wake" not in data or "sleep" not in data:
            return
        if span(data["sleep"], data["wake"]) < MIN_SLEEP:
            raise ValidationError("Allow at least 3 hours between sleep and wake.", "wake")
        if span(data["wake"], data["sleep"]) < MIN_AWAKE:
            raise ValidationError("Allow at least 4 hours between wake and sleep.", "sleep")

    @validates_schema
    def check_per_kg(self, data, **kwargs):
        """Require a body weight for the weight-based rule."""
        if data.get("per_kg_ml") is not None and data.get("body_weight_kg") is None:
            raise ValidationError("Add a body weight to use millilitres per kilogram.", "body_weight_kg")


class HydrationTodaySchema(Schema):
    """The day so far: target, intake, what remains and when the next reminder is due."""

    target_ml = fields.Integer(strict=True, dump_only=True)
    intake_ml = fields.Integer(strict=True, dump_only=True)
    remaining_ml = fields.Integer(strict=True, dump_only=True)
    next_reminder_at = fields.AwareDateTime(allow_none=True, dump_only=True)


class ReminderActionSchema(Schema):
    """A notification button; `volume_ml` is the drink the button records."""

    action = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    volume_ml = fields.Integer(strict=True, dump_only=True)
    drink = fields.String(dump_only=True)


class ReminderPayloadSchema(Schema):
    """The JSON a hydration reminder carries to the service worker."""

    type = fields.String(dump_only=True)
    slot = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    body = fields.String(dump_only=True)
    tag = fields.String(dump_only=True)
    url = fields.String(dump_only=True)
    target_ml = fields.Integer(strict=True, dump_only=True)
    intake_ml = fields.Integer(strict=True, dump_only=True)
    remaining_ml = fields.Integer(strict=True, dump_only=True)
    units = fields.String(dump_only=True)
    sent_at = fields.AwareDateTime(dump_only=True)
    actions = fields.List(fields.Nested(ReminderActionSchema), dump_only=True)


hydration_settings_schema = HydrationSettingsSchema()
hydration_today_schema = HydrationTodaySchema()
reminder_payload_schema = ReminderPayloadSchema()
