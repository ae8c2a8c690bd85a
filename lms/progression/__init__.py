"""Gating: which stage, lecture and test is open to a trainee, from the programme file.

Every route that reaches gated material calls ``require_unlocked(user, unit)``.
"""

from lms.progression.registry import milestones
from lms.progression.services import (
    Locked,
    lock_for,
    programme_units,
    require_unlocked,
    requirements_of,
    satisfied_for,
    stage_path,
)
from lms.progression.state import satisfied_by_trainee

__all__ = ["Locked", "lock_for", "milestones", "programme_units", "require_unlocked",
           "requirements_of", "satisfied_by_trainee", "satisfied_for", "stage_path"]
