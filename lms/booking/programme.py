"""Course ②'s part in the programme: ``stage:course2`` is the booked session attended as the
configured attendance rule requires (counted only once practice is complete: see
:func:`lms.progression.services.satisfied_for`)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from lms.booking.models import Attendance, SessionBooking, SessionDay
from lms.booking.services import attendance_complete
from lms.cohorts.services import latest_enrolments
from lms.progression import registry, versions
from lms.xapi import vocab

UNIT = "stage:course2"


def satisfied(users: Sequence) -> dict[int, set[str]]:
    # One query for the enrolments; attendance is still read per trainee who has one (a batch
    # version of the attendance rule is left for later).
    latest = latest_enrolments(users)
    return {u.id: ({UNIT} if u.id in latest and attendance_complete(u, latest[u.id].cohort_id)
                   else set()) for u in users}


def title(unit: str) -> str:
    return _("Course 2 (in person)")


def proofs(unit: str) -> tuple[registry.Proof, ...]:
    return (registry.Proof(UNIT, "stages/course2", vocab.COMPLETED.ref),)


def register() -> None:
    registry.register(registry.Stage("course2", (UNIT,), satisfied, title=title,
                                     milestones=(UNIT,), proofs=proofs,
                                     page="booking.index"))
    for model in (SessionBooking, Attendance):
        versions.track(model, model.user_id)
    versions.track(SessionDay, SessionDay.session_id,
                   via=(SessionBooking.session_id, SessionBooking.user_id))
