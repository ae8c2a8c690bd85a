"""Pure rules for logging in: throttling and password strength. No Flask here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class ThrottleState:
    failures: int
    locked_until: datetime | None


def is_locked(state: ThrottleState, now: datetime) -> bool:
    """True while a lock set after too many failures has not yet expired."""
    return state.locked_until is not None and now < state.locked_until


def after_failure(
    state: ThrottleState, now: datetime, max_failures: int, lock_minutes: int
) -> ThrottleState:
    """Count one more failure; the *max_failures*-th locks the address for *lock_minutes*.

    A lock that has expired starts a fresh count, so a locked-out person gets a full set of
    attempts again after waiting.
    """
    failures = state.failures
    if state.locked_until is not None and now >= state.locked_until:
        failures = 0
    failures += 1
    if failures >= max_failures:
        return ThrottleState(failures, now + timedelta(minutes=lock_minutes))
    return ThrottleState(failures, None)


def password_problems(password: str, email: str = "") -> list[str]:
    """Return the reasons *password* is too weak (message ids for gettext), empty if fine."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append("too_short")
    if password.isdigit() or password.isalpha():
        problems.append("one_kind")
    if email and email.split("@")[0].lower() in password.lower():
        problems.append("contains_email")
    return problems
