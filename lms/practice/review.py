"""What reviewers read: the report queue of a cohort and a trainee's due dates (queries only).

Decisions (accept, return, extend) are in ``services`` and ``deadlines``.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.practice import services
from lms.practice.forms_cache import report_forms
from lms.practice.models import PracticeReport, ReportStatus


class QueueRow(NamedTuple):
    """One report in the reviewers' queue, with its trainee and enrolment."""

    report: PracticeReport
    trainee: User
    enrolment: Enrolment


class Due(NamedTuple):
    """When one of a trainee's reports is due."""

    kind: str
    title: str
    due_on: date


def cohorts() -> list[Cohort]:
    """Every cohort, the newest first."""
    return list(db.session.execute(db.select(Cohort).order_by(Cohort.training_start.desc())
                                   ).unique().scalars())


def queue(cohort_id: int | None, status: str) -> list[QueueRow]:
    """The cohort's reports in submission order; only those in *status* if it is one."""
    query = (db.select(PracticeReport, User, Enrolment)
             .join(Enrolment, Enrolment.id == PracticeReport.enrolment_id)
             .join(User, User.id == PracticeReport.user_id)
             .where(Enrolment.cohort_id == cohort_id)
             .order_by(PracticeReport.submitted_at))
    if status in {s.value for s in ReportStatus}:
        query = query.where(PracticeReport.status == ReportStatus(status))
    return [QueueRow(report, trainee, enrolment)
            for report, trainee, enrolment in db.session.execute(query).unique().all()]


def enrolment_of(report: PracticeReport) -> Enrolment:
    return db.session.get_one(Enrolment, report.enrolment_id)


def trainee_of(report: PracticeReport) -> User:
    return db.session.get_one(User, report.user_id)


def dues(enrolment: Enrolment) -> list[Due]:
    """When each of the trainee's reports is due, extensions and returns included."""
    forms = report_forms()
    return [Due(kind, forms[kind].title,
                services.due_on(enrolment, kind, services.report_for(enrolment, kind, False)))
            for kind in services.REPORT_KINDS]
