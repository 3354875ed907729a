"""What a client may send that every database can hold: text, instants and integers.

SQLite stores a NUL character, a year-1 time or an integer of any size where PostgreSQL refuses
it, and a time a few hours from the calendar's ends cannot be converted to UTC at all. The
schemas refuse these values, so an item carrying one is rejected the same way on both databases
instead of failing the push it travels in.
"""

import datetime
import re

from marshmallow import ValidationError, fields, validate

# The largest integer both databases hold (PostgreSQL's BIGINT, SQLite's INTEGER).
MAX_INT = 2 ** 63 - 1
# The diary's calendar: wide enough for any real episode, far enough from year 1 and 9999 that
# every offset and every date calculation stays inside Python's and the databases' range.
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.timezone.utc)
LATEST = datetime.datetime(3000, 1, 1, tzinfo=datetime.timezone.utc)
IN_CALENDAR = validate.Range(EARLIEST, LATEST, max_inclusive=False,
                             error="Use a date from the year 1900 to 2999.")
# NUL, which PostgreSQL cannot store, and halves of a character, which no encoder can write.
UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
# What the API document declares: no NUL. A lone surrogate is not a character at all, so no
# UTF-8 text can hold one; only a \u escape in JSON can, and the server refuses it the same way.
STORABLE_PATTERN = "^[^\\x00]*$"


class Storable(validate.Validator):
    """Refuse text with a NUL character or a lone surrogate."""

    error = "This text holds a character that cannot be saved (NUL, or half of a symbol)."

    def __call__(self, value):
        if UNSTORABLE.search(value) is not None:
            raise ValidationError(self.error)
        return value


STORABLE = Storable()


class Text(fields.String):
    """A string that every database can store and every encoder can write."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.insert(0, STORABLE)
        if not any(isinstance(rule, validate.Regexp) for rule in self.validators):
            # Declared in the API document too, so a client knows before it sends.
            self.metadata.setdefault("pattern", STORABLE_PATTERN)


def storable(value):
    """Tell whether a value is a string the database can be asked about."""
    return type(value) is str and UNSTORABLE.search(value) is None


def check_instant(moment):
    """Refuse an aware datetime outside the diary's calendar."""
    IN_CALENDAR(moment)
    return moment
