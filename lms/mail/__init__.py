"""Outgoing mail: queued in the same transaction as the change, delivered after commit."""

from lms.mail.services import deliver_committed, deliver_pending, flush_loop, queue

__all__ = ["deliver_committed", "deliver_pending", "flush_loop", "queue"]
