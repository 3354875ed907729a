"""The browser tests run by day on the device's clock, at whatever hour they start."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tests.e2e.conftest import daytime_zone


def test_every_hour_of_the_day_finds_a_daytime_zone_on_the_same_date():
    start = datetime(2026, 12, 3, tzinfo=timezone.utc)
    for minutes in range(0, 24 * 60, 10):
        now = start + timedelta(minutes=minutes)
        local = now.astimezone(ZoneInfo(daytime_zone(now)))
        # A test that starts now and runs for ten minutes stays between 07:00 and 22:30.
        for later in (local, local + timedelta(minutes=10)):
            assert 8 <= later.hour < 22, (now, later)
        assert local.date() == now.date()
