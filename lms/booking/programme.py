"""Course ②'s part in the programme: ``stage:course2`` is the booked session attended as the
configured attendance rule requires (counted only once practice is complete: see
:func:`lms.progression.services.satisfied_for`)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from lms.booking.services import attendance_completed
from lms.cohorts.services import latest_enrolments
from lms.progression import registry
from lms.xapi import vocab

UNIT = "stage:course2"


def satisfied(users: Sequence) -> dict[int, set[str]]:
    """The same few queries for one trainee or many: the enrolments, then attendance."""
    latest = latest_enrolments(users)
    done = attendance_completed({uid: e.cohort_id for uid, e in latest.items()})
    return {u.id: ({UNIT} if u.id in done else set()) for u in users}


def title(unit: str) -> str:
    return _("Course 2 (in person)")


def proofs(unit: str) -> tuple[registry.Proof, ...]:
    return (registry.Proof(UNIT, "stages/course2", vocab.COMPLETED.ref),)


def register() -> None:
    registry.register(registry.Stage("course2", (UNIT,), satisfied, title=title,
                                     milestones=(UNIT,), proofs=proofs,
                                     page="booking.index"))
