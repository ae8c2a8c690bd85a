"""The instructors' review queue (実践報告の確認): one cohort's reports in a status, a page at a
time, with the cohorts to choose from.

What the page needs and no more: the selector reads cohort ids and names (not whole cohorts),
the page reads 50 reports with their trainee and enrolment, and the version counts come in one
grouped query for those 50 (not each report's versions loaded) — so the page costs the same
for the first cohort and the 150th, with 60 or 10,000 trainees in the programme.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from lms import paging
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.practice.models import PracticeReport, ReportStatus, ReportVersion

#: reports per page of the queue
PER_PAGE = paging.PER_PAGE


@dataclass(frozen=True)
class QueueRow:
    report: PracticeReport
    user: User
    enrolment: Enrolment
    versions: int


@dataclass(frozen=True)
class Queue:
    #: (id, name), newest cohort first
    cohorts: list[tuple[int, str]]
    cohort_id: int | None
    status: str
    page: paging.Page[QueueRow]


def _default_cohort(cohorts: list[tuple[int, str]]) -> int | None:
    """The newest cohort with a report awaiting review, else the newest cohort."""
    waiting = db.session.scalar(
        select(Enrolment.cohort_id)
        .join(PracticeReport, PracticeReport.enrolment_id == Enrolment.id)
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .where(PracticeReport.status == ReportStatus.SUBMITTED)
        .order_by(Cohort.training_start.desc(), Cohort.id.desc()).limit(1))
    return waiting or (cohorts[0][0] if cohorts else None)


def review_queue(cohort_id: int | None, status: str, page: int = 1) -> Queue:
    """The queue page: *status* is a ``ReportStatus`` value or anything else for all."""
    cohorts = [(cid, name) for cid, name in db.session.execute(
        select(Cohort.id, Cohort.name).order_by(Cohort.training_start.desc(), Cohort.id.desc()))]
    cohort_id = cohort_id or _default_cohort(cohorts)
    stmt = (select(PracticeReport, User, Enrolment)
            .join(Enrolment, Enrolment.id == PracticeReport.enrolment_id)
            .join(User, User.id == PracticeReport.user_id)
            .where(Enrolment.cohort_id == cohort_id))
    if status in {s.value for s in ReportStatus}:
        stmt = stmt.where(PracticeReport.status == ReportStatus(status))
    total = db.session.scalar(
        select(func.count()).select_from(stmt.with_only_columns(PracticeReport.id).subquery()))
    number = paging.clamp(page, total or 0, PER_PAGE)
    found = db.session.execute(
        stmt.order_by(PracticeReport.submitted_at, PracticeReport.id)
        .offset(paging.offset(number, PER_PAGE)).limit(PER_PAGE)).unique().all()
    ids = [report.id for report, _, _ in found]
    versions = dict(db.session.execute(
        select(ReportVersion.report_id, func.count()).where(ReportVersion.report_id.in_(ids))
        .group_by(ReportVersion.report_id)).all()) if ids else {}
    rows = [QueueRow(report, user, enrolment, versions.get(report.id, 0))
            for report, user, enrolment in found]
    return Queue(cohorts, cohort_id, status, paging.Page(rows, total or 0, number, PER_PAGE))
