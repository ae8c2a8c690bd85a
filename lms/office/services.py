"""The cohort's trainee table, built from a handful of batch queries (never one per trainee)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from sqlalchemy import func, select

from lms.assessment.models import Quiz, QuizAttempt
from lms.auth.models import User
from lms.booking.models import BookingStatus, CourseSession, SessionBooking
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.content.models import LectureModule, ModuleProgress, ProgressStatus
from lms.extensions import db
from lms.office import rules
from lms.practice import rules as practice_rules
from lms.practice.forms_cache import report_forms
from lms.practice.models import DeadlineExtension, PracticeReport, ReportStatus
from lms.practice.programme import completed_enrolments
from lms.practice.services import REPORT_KINDS, due_on
from lms.progression import registry
from lms.xapi.index import agent_key
from lms.xapi.models import Statement
from lms.xapi.recorder import actor_for

#: functions (user ids → {user id: organisation}) that know trainees' organisations; the
#: applications feature registers one (``register_organisations(fn)``) once it records them
_ORGANISATION_SOURCES: list[Callable[[list[int]], dict[int, str]]] = []


def register_organisations(source: Callable[[list[int]], dict[int, str]]) -> None:
    _ORGANISATION_SOURCES.append(source)


def _organisations(user_ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for source in _ORGANISATION_SOURCES:
        found.update(source(user_ids))
    return found


def _passed_course1(user_ids: list[int]) -> set[int]:
    """Those who passed a test whose pass completes course ① (the kinds of test say which)."""
    return set(db.session.execute(
        select(QuizAttempt.user_id).join(Quiz).where(
            Quiz.kind.in_(registry.kinds_where(lambda kind: kind.completes_stage)),
            QuizAttempt.passed.is_(True),
            QuizAttempt.user_id.in_(user_ids))).scalars())


def _lecture_percent(user_ids: list[int]) -> dict[int, int]:
    total = db.session.scalar(select(func.count()).select_from(LectureModule).where(
        LectureModule.published.is_(True))) or 0
    if not total:
        return {}
    done = dict(db.session.execute(
        select(ModuleProgress.user_id, func.count()).join(LectureModule).where(
            LectureModule.published.is_(True), ModuleProgress.status == ProgressStatus.COMPLETE,
            ModuleProgress.user_id.in_(user_ids)).group_by(ModuleProgress.user_id)).all())
    return {uid: round(100 * done.get(uid, 0) / total) for uid in user_ids}


def last_activity(users: Iterable[User]) -> dict[int, datetime]:
    """Each trainee's latest learning record (xAPI statement) time."""
    keys = {agent_key(actor_for(u)): u.id for u in users}
    if not keys:
        return {}
    rows = db.session.execute(
        select(Statement.actor_key, func.max(Statement.timestamp))
        .where(Statement.actor_key.in_(list(keys)), Statement.voided.is_(False))
        .group_by(Statement.actor_key)).all()
    return {keys[k]: at for k, at in rows if at is not None}


def cohort_rows(cohort: Cohort, today: date) -> list[rules.TraineeRow]:
    """Every trainee of *cohort* with stage, progress, last activity, next deadline, flags."""
    pairs = db.session.execute(
        select(Enrolment, User).join(User, User.id == Enrolment.user_id)
        .where(Enrolment.cohort_id == cohort.id).order_by(User.name)).unique().all()
    if not pairs:
        return []
    user_ids = [u.id for _, u in pairs]
    enrolment_ids = [e.id for e, _ in pairs]
    passed = _passed_course1(user_ids)
    practice_done = completed_enrolments(enrolment_ids)
    percent = _lecture_percent(user_ids)
    active = last_activity(u for _, u in pairs)
    organisations = _organisations(user_ids)
    reports: dict[int, dict[str, PracticeReport]] = {}
    for stored in db.session.execute(select(PracticeReport).where(
            PracticeReport.enrolment_id.in_(enrolment_ids))).scalars():
        reports.setdefault(stored.enrolment_id, {})[stored.kind] = stored
    extended = set(db.session.execute(select(DeadlineExtension.enrolment_id).where(
        DeadlineExtension.enrolment_id.in_(enrolment_ids))).scalars())
    bookings = dict(db.session.execute(
        select(SessionBooking.user_id, SessionBooking.status).join(CourseSession)
        .where(CourseSession.cohort_id == cohort.id, SessionBooking.user_id.in_(user_ids),
               SessionBooking.status.in_((BookingStatus.BOOKED, BookingStatus.WAITLISTED,
                                          BookingStatus.OFFERED)))).all())
    dates = cohort.dates()
    rows = []
    for enrolment, user in pairs:
        mine = reports.get(enrolment.id, {})
        deadlines = [rules.Deadline("course1_end", dates["course1_end"], user.id in passed)]
        for kind in REPORT_KINDS:
            report = mine.get(kind)
            # due_on reads extensions; skip its query for the many without any
            due = due_on(enrolment, kind, report) if enrolment.id in extended or (
                report is not None and report.revision_due_on) else _cohort_due(enrolment, kind)
            deadlines.append(rules.Deadline(kind, due, report is not None and report.status in (
                ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)))
        facts = rules.TraineeFacts(
            withdrawn=enrolment.status == EnrolmentStatus.WITHDRAWN,
            passed_course1=user.id in passed,
            practice_complete=enrolment.id in practice_done,
            booked_course2=bookings.get(user.id) == BookingStatus.BOOKED,
            waitlisted=bookings.get(user.id) in (BookingStatus.WAITLISTED, BookingStatus.OFFERED),
            returned_reports=tuple(k for k, r in mine.items() if r.status == ReportStatus.RETURNED),
            deadlines=tuple(deadlines))
        upcoming = rules.next_deadline(facts, today)
        rows.append(rules.TraineeRow(
            enrolment_id=enrolment.id, user_id=user.id, name=user.name, email=user.email,
            organisation=organisations.get(user.id, ""), stage=rules.stage_of(facts),
            progress=percent.get(user.id, 0), last_activity=active.get(user.id),
            next_deadline=upcoming,
            days_left=(upcoming.due - today).days if upcoming else None,
            overdue=rules.overdue(facts, today), flags=rules.flags_of(facts, today)))
    return rows


def _cohort_due(enrolment: Enrolment, kind: str) -> date:
    return practice_rules.due_date(report_forms()[kind], enrolment.cohort.dates(), None)
