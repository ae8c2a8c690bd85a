"""Audit log of administrative actions: ``audit.record(actor, action, target, details)``."""

from lms.audit.services import record

__all__ = ["record"]
