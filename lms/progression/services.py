"""What a trainee has achieved, and so which units the programme file opens for them."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from lms.assessment.models import Quiz, QuizAttempt
from lms.booking.services import attendance_complete
from lms.cohorts.models import EnrolmentStatus
from lms.cohorts.services import current_enrolment
from lms.content.progress import course_progress
from lms.extensions import db
from lms.practice.services import practice_complete
from lms.progression.program import load_gates
from lms.progression.rules import Lock, unit_state

_cache: dict[str, tuple[float, dict]] = {}

#: features that satisfy units of their own (e.g. certificates: ``stage:renewal``) register a
#: function ``(user) -> set of units`` here, so this hub imports no feature for them
unit_providers: list[Callable[[object], set[str]]] = []


class Locked(Exception):
    """The unit is closed to this trainee; ``lock`` says what is missing."""

    def __init__(self, lock: Lock):
        super().__init__(lock.unit)
        self.lock = lock


def gates() -> dict[str, tuple[str, ...]]:
    """The gate table from ``program.yml``, re-read only when the file changes."""
    path = Path(current_app.config["CONTENT_DIR"]) / "program.yml"
    key = str(path)
    mtime = os.path.getmtime(path) if path.exists() else 0.0
    cached = _cache.get(key)
    if cached and cached[0] == mtime:
        return cached[1]
    table, problems = load_gates(path.parent)
    if problems:
        raise RuntimeError("invalid programme file: " + "; ".join(map(str, problems)))
    _cache[key] = (mtime, table)
    return table


def satisfied_units(user) -> set[str]:
    """Every unit the trainee has achieved: groups fully watched, quizzes passed, practice
    complete."""
    done = {f"lectures:{group.letter}" for group in course_progress(user)
            if group.modules and group.complete == len(group.modules)}
    passed = db.session.execute(
        db.select(Quiz.slug).join(QuizAttempt, QuizAttempt.quiz_id == Quiz.id)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.passed.is_(True))).scalars()
    done.update(f"quiz:{slug}" for slug in passed)
    enrolment = current_enrolment(user)
    if enrolment is not None and practice_complete(enrolment):
        done.add("stage:practice")
        if attendance_complete(user, enrolment.cohort_id):
            done.add("stage:course2")
    for provider in unit_providers:
        done |= provider(user)
    return done


def is_withdrawn(user) -> bool:
    enrolment = current_enrolment(user)
    return enrolment is not None and enrolment.status == EnrolmentStatus.WITHDRAWN


def lock_for(user, unit: str, satisfied: set[str] | None = None) -> Lock:
    """Return whether *unit* is open to *user* now."""
    if satisfied is None:
        satisfied = satisfied_units(user)
    return unit_state(unit, gates(), satisfied, is_withdrawn(user))


def require_unlocked(user, unit: str) -> None:
    """Raise Locked unless *unit* is open to *user*: the one gate every gated route calls."""
    lock = lock_for(user, unit)
    if not lock.open:
        raise Locked(lock)


@dataclass(frozen=True)
class PathStep:
    unit: str
    lock: Lock
    done: bool


def stage_path(user) -> list[PathStep]:
    """The trainee's path through the gated units, in programme order, with what is done."""
    satisfied = satisfied_units(user)
    withdrawn = is_withdrawn(user)
    table = gates()
    steps = [PathStep(unit, unit_state(unit, table, satisfied, withdrawn), unit in satisfied)
             for unit in table]
    # Renewal is for certificate holders: it joins a path only once it is open or done.
    return [s for s in steps if "stage:renewal" not in table.get(s.unit, ())
            or s.lock.open or s.done]
