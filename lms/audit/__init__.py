"""Audit log of administrative actions: ``audit.record(actor, action, target, details)``.

It imports no feature: features register how the log names their actions and records.
"""

from lms.audit.labels import (
    register_actions,
    register_people,
    register_target,
    register_target_name,
    register_values,
)
from lms.audit.services import record

__all__ = ["record", "register_actions", "register_people", "register_target",
           "register_target_name", "register_values"]
