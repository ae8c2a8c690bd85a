"""What each role's home page shows, and whether the database can serve it (/healthz)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from lms.auth.models import LoginThrottle, User
from lms.booking.models import BookingStatus, SessionDay
from lms.booking.services import live_booking
from lms.cohorts import rules
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.cohorts.services import current_enrolment
from lms.extensions import db
from lms.practice.forms_cache import report_forms
from lms.practice.models import ReportStatus
from lms.practice.services import REPORT_KINDS, due_on, report_for
from lms.templating import date_label


@dataclass(frozen=True)
class StageView:
    key: str
    start: date
    end: date
    state: str  # done | current | upcoming
    percent: int


@dataclass(frozen=True)
class Action:
    """Something the trainee must do now: a returned report, a seat on offer."""

    kind: str  # returned | offer
    title: str
    due: date | datetime | None
    endpoint: str
    args: dict


@dataclass(frozen=True)
class TraineeHome:
    enrolment: Enrolment | None
    stages: list[StageView]
    deadlines: list[tuple[str, date, int]]  # (label, date, days left)
    overall_percent: int
    actions: list[Action] = field(default_factory=list)


def trainee_home(user: User, today: date) -> TraineeHome:
    """Return the trainee's cohort, stage windows and upcoming deadlines as of *today*."""
    enrolment = current_enrolment(user)
    if enrolment is None:
        return TraineeHome(None, [], [], 0)
    dates = enrolment.cohort.dates()
    views = []
    for stage in rules.stages(dates):
        if today > stage.end:
            state = "done"
        elif today >= stage.start:
            state = "current"
        else:
            state = "upcoming"
        views.append(StageView(stage.key, stage.start, stage.end, state,
                               rules.window_progress(stage.start, stage.end, today)))
    overall = rules.window_progress(dates["course1_start"], dates["course2_end"], today)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return TraineeHome(enrolment, views, [], overall)
    actions, deadlines = _reports(enrolment, today)
    if dates["course1_end"] >= today:
        deadlines.insert(0, (date_label("course1_end"), dates["course1_end"],
                             (dates["course1_end"] - today).days))
    actions += _offers(user, enrolment)
    return TraineeHome(enrolment, views, sorted(deadlines, key=lambda d: d[1]), overall,
                       actions)


def _reports(enrolment: Enrolment, today: date) -> tuple[list[Action], list]:
    """Returned reports to revise, and the trainee's own due dates (extensions and revision
    dates included) of the reports still to submit."""
    forms = report_forms()
    actions, deadlines = [], []
    for kind in REPORT_KINDS:
        report = report_for(enrolment, kind, create=False)
        if report is not None and report.status in (ReportStatus.SUBMITTED,
                                                     ReportStatus.ACCEPTED):
            continue
        due = due_on(enrolment, kind, report)
        if report is not None and report.status == ReportStatus.RETURNED:
            actions.append(Action("returned", forms[kind].title, due, "practice.report",
                                  {"kind": kind}))
        if due >= today:
            deadlines.append((forms[kind].title, due, (due - today).days))
    return actions, deadlines


def _offers(user: User, enrolment: Enrolment) -> list[Action]:
    booking = live_booking(user, enrolment.cohort_id)
    if booking is None or booking.status != BookingStatus.OFFERED:
        return []
    return [Action("offer", booking.session.title, booking.offer_expires_at, "booking.index",
                   {})]


def database_problem() -> str | None:
    """Why the database cannot serve the LMS now (unreachable, read-only), or None.

    A write that changes nothing, rolled back: a read-only database (a PostgreSQL standby,
    ``default_transaction_read_only``, a read-only SQLite file) refuses it as it would refuse
    a trainee's autosave.
    """
    try:
        db.session.rollback()
        db.session.execute(update(LoginThrottle).where(LoginThrottle.key == "")
                           .values(failures=LoginThrottle.failures)
                           .execution_options(synchronize_session=False))
        return None
    except SQLAlchemyError as exc:
        return type(getattr(exc, "orig", None) or exc).__name__
    finally:
        db.session.rollback()
def sessions_on(day: date) -> list:
    """Course ② session days held on *day* (Tokyo), earliest first."""
    return list(db.session.execute(
        db.select(SessionDay).where(SessionDay.day == day).order_by(SessionDay.starts_at)
    ).scalars())
