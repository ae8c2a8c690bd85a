"""Course ②'s part in the programme: ``stage:course2`` is the booked session attended as the
configured attendance rule requires (counted only once practice is complete: see
:func:`lms.progression.services.satisfied_for`)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from lms.booking.services import attendance_complete
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.progression import registry
from lms.xapi import vocab

UNIT = "stage:course2"


def satisfied(users: Sequence) -> dict[int, set[str]]:
    # One query for the cohorts; attendance is still read per trainee who has one (a batch
    # version of the attendance rule is left for later).
    latest = dict(db.session.execute(
        db.select(Enrolment.user_id, db.func.max(Enrolment.id))
        .where(Enrolment.user_id.in_([u.id for u in users])).group_by(Enrolment.user_id)).all())
    cohorts = dict(db.session.execute(
        db.select(Enrolment.id, Enrolment.cohort_id)
        .where(Enrolment.id.in_(list(latest.values())))).all())
    return {u.id: ({UNIT} if u.id in latest and attendance_complete(u, cohorts[latest[u.id]])
                   else set()) for u in users}


def title(unit: str) -> str:
    return _("Course 2 (in person)")


def proofs(unit: str) -> tuple[registry.Proof, ...]:
    return (registry.Proof(UNIT, "stages/course2", vocab.COMPLETED.ref),)


def register() -> None:
    registry.register(registry.Stage("course2", (UNIT,), satisfied, title=title,
                                     milestones=(UNIT,), proofs=proofs,
                                     page="booking.index"))
