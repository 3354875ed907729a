"""Hypothesis strategies at the edges of what a database, a calendar and an encoder take."""

import datetime

from hypothesis import strategies as st

BIG = 2 ** 63
# Every offset a real place has used, to the minute.
OFFSETS = st.integers(-14 * 60, 14 * 60).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes)))
CALENDAR_ENDS = st.sampled_from([
    (datetime.datetime(1, 1, 1), datetime.datetime(1, 1, 3)),
    (datetime.datetime(1899, 12, 30), datetime.datetime(1900, 1, 2)),
    (datetime.datetime(2999, 12, 30), datetime.datetime(3000, 1, 2)),
    (datetime.datetime(9999, 12, 29), datetime.datetime(9999, 12, 31, 23, 59, 59)),
    (datetime.datetime(2020, 1, 1), datetime.datetime(2030, 1, 1)),
])


def _iso(moment, zone, zulu):
    text = moment.replace(tzinfo=zone).isoformat()
    return text.replace("+00:00", "Z") if zulu else text


# ISO 8601 times with an offset near the ends of the calendar (and some ordinary ones).
MOMENTS = st.builds(_iso, CALENDAR_ENDS.flatmap(lambda ends: st.datetimes(*ends)), OFFSETS,
                    st.booleans())
# Text with NUL characters, lone surrogates and whole characters beyond the BMP.
TEXTS = st.lists(st.one_of(st.characters(),
                           st.sampled_from(["\x00", "\ud800", "\udfff", "\ud83d\ude00"])),
                 max_size=8).map("".join)
INTEGERS = st.one_of(st.sampled_from([0, 1, -1, BIG - 1, BIG, BIG + 1, -BIG, -BIG - 1, 2 ** 64]),
                     st.integers(-10, 6000), st.integers())
SCALARS = st.one_of(st.none(), st.booleans(), INTEGERS, TEXTS, MOMENTS,
                    st.floats(allow_nan=False, allow_infinity=False))
# Any JSON value built from those, dictionary keys included.
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(TEXTS, inner, max_size=3)), max_leaves=6)
