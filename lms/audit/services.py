"""Recording administrative actions."""

from __future__ import annotations

from typing import Any

from lms.audit.models import AuditEvent
from lms.extensions import db


def _target_key(target: Any) -> tuple[str, str]:
    if isinstance(target, tuple):
        kind, ident = target
        return str(kind), str(ident)
    if isinstance(target, str):
        return target, ""
    return type(target).__name__, str(getattr(target, "id", ""))


def record(actor, action: str, target: Any, details: dict[str, Any] | None = None) -> AuditEvent:
    """Add an audit event for *action* by *actor* (a User or None) on *target*; flushes.

    *target* is a model instance, a ``(type, id)`` pair, or a plain name.
    """
    target_type, target_id = _target_key(target)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details or {},
    )
    db.session.add(event)
    db.session.flush()
    return event
