"""Pure rules for timed tests: no Flask, no SQLAlchemy."""

from __future__ import annotations

import math

#: the largest time accommodation an administrator may grant, in percent of the limit
MAX_EXTRA_PERCENT = 300


def time_limit(base_minutes: int | None, extra_minutes: int = 0,
               extra_percent: int = 0) -> int | None:
    """The minutes a trainee has: the test's limit lengthened by their accommodation, and overrides.

    ``None`` (no limit) stays ``None``. The percentage applies to the test's own limit and is
    rounded up to a whole minute; a quiz override's extra minutes are added after it.
    """
    if base_minutes is None:
        return None
    return math.ceil(base_minutes * (100 + extra_percent) / 100) + extra_minutes
