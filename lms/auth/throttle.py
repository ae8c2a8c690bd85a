"""Counting attempts per key in the database, atomically (failed logins, reset mails).

Each attempt is one upsert that adds one unless the key is paused, and answers the new count:
parallel requests each get their own number, none is lost, and none is evaluated while the
key is paused. On PostgreSQL the updated row stays locked until the request commits, so the
attempt that starts a pause is decided before the next one on the same key is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import case, or_, update
from sqlalchemy.dialects import postgresql, sqlite

from lms.auth import rules
from lms.auth.models import LoginThrottle
from lms.extensions import db

_T = LoginThrottle.__table__


@dataclass(frozen=True)
class Counted:
    """One counted attempt: the count it made, and the pause it started (if any)."""

    failures: int
    blocked_until: datetime | None


def policy(kind: str) -> rules.ThrottlePolicy:
    """The configured throttle for ``email`` and ``ip`` (logins) and ``reset`` (mails)."""
    cfg = current_app.config
    forget = cfg["LOGIN_FORGET_MINUTES"] * 60
    if kind == "reset":
        hour = 3600.0
        return rules.ThrottlePolicy(cfg["RESET_MAILS_PER_HOUR"], hour, hour, hour)
    free = cfg["LOGIN_MAX_FAILURES"] if kind == "email" else cfg["LOGIN_IP_MAX_FAILURES"]
    return rules.ThrottlePolicy(free, cfg["LOGIN_DELAY_SECONDS"],
                                cfg["LOGIN_LOCK_MINUTES"] * 60, forget)


def count(key: str, now: datetime, rule: rules.ThrottlePolicy) -> Counted | None:
    """Count one attempt on *key*; None (and nothing counted) while *key* is paused."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(LoginThrottle)
    forget_before = now - timedelta(seconds=rule.forget_after)
    statement = insert.values(key=key, failures=1, last_failure_at=now).on_conflict_do_update(
        index_elements=[_T.c.key],
        set_={"failures": case((or_(_T.c.last_failure_at.is_(None),
                                    _T.c.last_failure_at < forget_before), 1),
                               else_=_T.c.failures + 1),
              "last_failure_at": now},
        where=or_(_T.c.blocked_until.is_(None), _T.c.blocked_until <= now),
    ).returning(_T.c.failures)
    failures = db.session.execute(statement).scalar()
    if failures is None:
        return None
    delay = rules.delay_after(failures, rule)
    until = now + delay if delay else None
    if until is not None:
        db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                           .values(blocked_until=until)
                           .execution_options(synchronize_session=False))
    return Counted(failures, until)


def blocked_until(key: str) -> datetime | None:
    return db.session.execute(db.select(LoginThrottle.blocked_until)
                              .where(LoginThrottle.key == key)).scalar()


def clear(key: str) -> None:
    """Forget every attempt on *key* (a successful login on an address)."""
    db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.key == key)
                       .execution_options(synchronize_session=False))


def uncount(key: str, counted: Counted) -> None:
    """Take back one attempt that turned out to succeed, and the pause it started."""
    values: dict[str, Any] = {"failures": case((_T.c.failures > 0, _T.c.failures - 1), else_=0)}
    if counted.blocked_until is not None:
        values["blocked_until"] = None
    db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.execute(db.delete(LoginThrottle).where(  # nothing left to remember
        LoginThrottle.key == key, LoginThrottle.failures == 0,
        LoginThrottle.blocked_until.is_(None)).execution_options(synchronize_session=False))
