"""Flask extensions declared once and bound to each app by the factory."""

import math
import time

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)


def breach():
    """Return (what to tell the caller about the limit it broke, seconds until it lifts)."""
    broken = max((limit for limit in limiter.current_limits if limit.breached),
                 key=lambda limit: limit.window.reset_time)
    item = broken.limit
    unit = item.GRANULARITY.name
    per = (f"every {item.multiples} {unit}s" if item.multiples > 1
           else "an hour" if unit == "hour" else f"a {unit}")
    wait = max(1, math.ceil(broken.window.reset_time - time.time()))
    return f"Too many attempts: at most {item.amount} {per}; try again in {in_words(wait)}.", wait


def in_words(seconds):
    """Say a wait the way a person would, rounded up: 45 seconds, 37 minutes, 1 hour."""
    for unit, size, below in (("second", 1, 60), ("minute", 60, 60), ("hour", 3600, 24),
                              ("day", 86400, math.inf)):
        count = math.ceil(seconds / size)
        if count < below:
            return f"{count} {unit}{'s' if count > 1 else ''}"
