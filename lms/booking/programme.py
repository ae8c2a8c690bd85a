"""Course ②'s part in the programme: ``stage:course2`` is the booked session attended as the
configured attendance rule requires (counted only once practice is complete: see
:func:`lms.progression.services.satisfied_for`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from flask import current_app
from flask_babel import gettext as _

from lms.booking import rules
from lms.booking.models import Attendance, BookingStatus, CourseSession, SessionBooking, SessionDay
from lms.cohorts.services import latest_enrolments
from lms.extensions import db
from lms.progression import registry, versions
from lms.xapi import vocab

UNIT = "stage:course2"
#: course ② as a stage in learning records: its activity id under ``stages/``, its names
STAGE = ("course2", "養成課程②", "Course 2")


def attendance_completed(cohorts: Mapping[int, int]) -> set[int]:
    """Those trainees (``{user id: cohort id}``) whose attendance at the course ② session they
    booked in that cohort meets the configured rule: three queries for any number."""
    if not cohorts:
        return set()
    sessions = {user_id: session_id for user_id, session_id, cohort_id in db.session.execute(
        db.select(SessionBooking.user_id, SessionBooking.session_id, CourseSession.cohort_id)
        .join(CourseSession, CourseSession.id == SessionBooking.session_id)
        .where(SessionBooking.user_id.in_(list(cohorts)),
               SessionBooking.status == BookingStatus.BOOKED))
        if cohorts.get(user_id) == cohort_id}
    if not sessions:
        return set()
    days: dict[int, dict[int, date]] = {}
    for day_id, session_id, day in db.session.execute(
            db.select(SessionDay.id, SessionDay.session_id, SessionDay.day)
            .where(SessionDay.session_id.in_(set(sessions.values())))):
        days.setdefault(session_id, {})[day_id] = day
    marks: dict[int, dict[int, str]] = {}
    for user_id, day_id, status in db.session.execute(
            db.select(Attendance.user_id, Attendance.day_id, Attendance.status)
            .where(Attendance.user_id.in_(list(sessions)),
                   Attendance.day_id.in_([d for ds in days.values() for d in ds]))):
        marks.setdefault(user_id, {})[day_id] = status.value
    rule = current_app.config["ATTENDANCE_RULE"]
    late_counts = current_app.config["LATE_COUNTS_AS_ATTENDED"]
    done = set()
    for user_id, session_id in sessions.items():
        mine = marks.get(user_id, {})
        statuses = {day: mine.get(day_id) for day_id, day in days.get(session_id, {}).items()}
        if statuses and rules.attendance_complete(statuses, rule, late_counts):
            done.add(user_id)
    return done


def satisfied(users: Sequence) -> dict[int, set[str]]:
    """The same few queries for one trainee or many: the enrolments, then attendance."""
    latest = latest_enrolments(users)
    done = attendance_completed({uid: e.cohort_id for uid, e in latest.items()})
    return {u.id: ({UNIT} if u.id in done else set()) for u in users}


def title(unit: str) -> str:
    return _("Course 2 (in person)")


def proofs(unit: str) -> tuple[registry.Proof, ...]:
    return (registry.Proof(UNIT, f"stages/{STAGE[0]}", vocab.iri(vocab.COMPLETED.ref)),)


def register() -> None:
    registry.register(registry.Stage("course2", (UNIT,), satisfied, title=title,
                                     milestones=(UNIT,), proofs=proofs,
                                     page="booking.index"))
    for model in (SessionBooking, Attendance):
        versions.track(model, model.user_id)
    versions.track(SessionDay, SessionDay.session_id,
                   via=(SessionBooking.session_id, SessionBooking.user_id))
