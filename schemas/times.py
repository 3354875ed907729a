"""How the API writes the times the server keeps: ISO 8601 with an offset, UTC."""

from datetime import timezone

from marshmallow import fields


class UtcDateTime(fields.DateTime):
    """A stored naive UTC datetime, written with its offset so no client guesses the zone."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


# A time already written as text by the server (models' stamp()), declared as what it is.
STAMP = {"format": "date-time", "description": "ISO 8601 with its offset, UTC"}
