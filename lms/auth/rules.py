"""Pure rules for logging in: throttling and password strength. No Flask here."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

MIN_PASSWORD_LENGTH = 10
_TRAILING = string.digits + string.punctuation + " "


@dataclass(frozen=True)
class ThrottlePolicy:
    """How failed logins slow down further attempts on one key (an address, a client IP).

    The first *free* failures cost nothing; from the *free*-th on, each failure pauses the key
    for *first_delay* seconds, doubled per further failure up to *max_delay*. A key whose last
    failure is *forget_after* seconds old starts again from nothing.
    """

    free: int
    first_delay: float
    max_delay: float
    forget_after: float


def delay_after(failures: int, policy: ThrottlePolicy) -> timedelta:
    """The pause that follows the *failures*-th failure in a row (zero while still free)."""
    if failures < policy.free:
        return timedelta(0)
    exponent = min(failures - policy.free, 32)
    return timedelta(seconds=min(policy.first_delay * 2 ** exponent, policy.max_delay))


def is_locked(blocked_until: datetime | None, now: datetime) -> bool:
    """True while a pause set after failures has not yet ended."""
    return blocked_until is not None and now < blocked_until


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords, as zxcvbn ships them (lower case)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: str, email: str = "",
                      common: Container[str] | None = None) -> list[str]:
    """Return the reasons *password* is too weak (message ids for gettext), empty if fine.

    A password is common when it, or it without trailing digits and symbols, is in *common*
    (by default zxcvbn's list): so neither "password" nor "password12" passes.
    """
    common = common_passwords() if common is None else common
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append("too_short")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in password):
        problems.append("control")
    if password.isdigit() or password.isalpha():
        problems.append("one_kind")
    if email and email.split("@")[0].lower() in password.lower():
        problems.append("contains_email")
    lowered = password.lower()
    if lowered in common or lowered.rstrip(_TRAILING) in common:
        problems.append("common")
    return problems
