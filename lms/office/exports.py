"""The office's exportable tables: trainees (as filtered on the page), test results, report
status, course ② bookings and attendance."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from flask_babel import gettext
from sqlalchemy import select

from lms.assessment.models import Quiz, QuizAttempt
from lms.auth.models import User
from lms.booking.models import Attendance, CourseSession, SessionBooking, SessionDay
from lms.cohorts.models import Cohort, Enrolment
from lms.exports import Column, ExportTable, register
from lms.extensions import db
from lms.office import labels
from lms.office.table import selected_rows, table_filters
from lms.practice.forms_cache import report_forms
from lms.practice.models import PracticeReport
from lms.templating import N_, attendance_label, stage_label

YIELD_PER = 500


def _cohort_id(params: Mapping[str, str]) -> int | None:
    value = params.get("cohort", "")
    return int(value) if value.isdigit() else None


def trainee_rows(params: Mapping[str, str]) -> Iterator[tuple]:
    _, _every, rows = selected_rows(table_filters(params))
    titles = labels.deadline_titles()
    for r in rows:
        upcoming = r.next_deadline
        yield (r.name, r.email, r.organisation, stage_label(r.stage), r.progress,
               r.last_activity, titles[upcoming.key] if upcoming else None,
               upcoming.due if upcoming else None, r.days_left,
               "、".join(str(labels.FLAG_LABELS[f]) for f in r.flags))


register(ExportTable("trainees", N_("Trainees"), (
    Column("name", N_("Name")), Column("email", N_("E-mail")),
    Column("organisation", N_("Organisation")), Column("stage", N_("Stage")),
    Column("progress", N_("Lectures completed (%)")),
    Column("last_activity", N_("Last activity")), Column("next_deadline", N_("Next deadline")),
    Column("due", N_("Due date")), Column("days_left", N_("Days left")),
    Column("flags", N_("Flags"))), trainee_rows))


def result_rows(params: Mapping[str, str]) -> Iterator[tuple]:
    stmt = (select(User.name, User.email, Cohort.name, Quiz.title, QuizAttempt.number,
                   QuizAttempt.started_at, QuizAttempt.finished_at, QuizAttempt.percent,
                   QuizAttempt.passed)
            .join(Quiz, Quiz.id == QuizAttempt.quiz_id).join(User, User.id == QuizAttempt.user_id)
            .outerjoin(Enrolment, Enrolment.registration == QuizAttempt.registration)
            .outerjoin(Cohort, Cohort.id == Enrolment.cohort_id)
            .order_by(QuizAttempt.id))
    if _cohort_id(params):
        stmt = stmt.where(Enrolment.cohort_id == _cohort_id(params))
    passed, failed = gettext("Passed"), gettext("Failed")
    for name, email, cohort, title, number, started, finished, percent, ok in \
            db.session.execute(stmt.execution_options(yield_per=YIELD_PER)):
        yield (name, email, cohort, title, number, started, finished,
               None if percent is None else round(percent, 1),
               None if ok is None else (passed if ok else failed))


register(ExportTable("results", N_("Test results"), (
    Column("name", N_("Name")), Column("email", N_("E-mail")), Column("cohort", N_("Cohort")),
    Column("test", N_("Test")), Column("attempt", N_("Attempt")),
    Column("started_at", N_("Started at")), Column("finished_at", N_("Finished at")),
    Column("percent", N_("Score (%)")), Column("result", N_("Result"))), result_rows))


REPORT_STATUS = {"draft": N_("Draft"), "submitted": N_("Submitted, awaiting review"),
                 "returned": N_("Returned for revision"), "accepted": N_("Accepted")}


def report_rows(params: Mapping[str, str]) -> Iterator[tuple]:
    stmt = (select(User.name, User.email, Cohort.name, PracticeReport)
            .join(Enrolment, Enrolment.id == PracticeReport.enrolment_id)
            .join(Cohort, Cohort.id == Enrolment.cohort_id)
            .join(User, User.id == PracticeReport.user_id).order_by(PracticeReport.id))
    if _cohort_id(params):
        stmt = stmt.where(Enrolment.cohort_id == _cohort_id(params))
    forms = report_forms()
    for name, email, cohort, report in db.session.execute(
            stmt.execution_options(yield_per=YIELD_PER)):
        yield (name, email, cohort, forms[report.kind].title if report.kind in forms
               else report.kind, gettext(REPORT_STATUS[report.status.value]),
               report.submitted_at, report.revision_due_on, report.accepted_at)


register(ExportTable("reports", N_("Practice report status"), (
    Column("name", N_("Name")), Column("email", N_("E-mail")), Column("cohort", N_("Cohort")),
    Column("report", N_("Report")), Column("status", N_("Status")),
    Column("submitted_at", N_("Submitted at")), Column("revision_due", N_("Revision due")),
    Column("accepted_at", N_("Accepted at"))), report_rows))


def booking_rows(params: Mapping[str, str]) -> Iterator[tuple]:
    stmt = (select(User.name, User.email, CourseSession.title, SessionBooking.status,
                   SessionBooking.updated_at, SessionDay.day, Attendance.status)
            .join(CourseSession, CourseSession.id == SessionBooking.session_id)
            .join(User, User.id == SessionBooking.user_id)
            .outerjoin(SessionDay, SessionDay.session_id == CourseSession.id)
            .outerjoin(Attendance, (Attendance.day_id == SessionDay.id)
                       & (Attendance.user_id == SessionBooking.user_id))
            .order_by(CourseSession.id, User.name, SessionDay.day))
    if _cohort_id(params):
        stmt = stmt.where(CourseSession.cohort_id == _cohort_id(params))
    for name, email, title, status, updated, day, attended in db.session.execute(
            stmt.execution_options(yield_per=YIELD_PER)):
        yield (name, email, title, str(labels.BOOKING_LABELS.get(status.value, status.value)),
               updated, day, attendance_label(attended.value) if attended else None)


register(ExportTable("bookings", N_("Course 2 bookings and attendance"), (
    Column("name", N_("Name")), Column("email", N_("E-mail")), Column("session", N_("Session")),
    Column("booking", N_("Booking")), Column("booking_changed", N_("Booking changed at")),
    Column("day", N_("Day")), Column("attendance", N_("Attendance"))), booking_rows))
