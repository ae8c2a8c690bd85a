"""Reports awaiting review, per cohort: the instructor's home and the practice queue."""

from __future__ import annotations

from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.practice.models import PracticeReport, ReportStatus


def pending_reviews() -> list[tuple[Cohort, int]]:
    """Cohorts with submitted practice reports awaiting review, newest cohort first."""
    rows = db.session.execute(
        db.select(Cohort, db.func.count(PracticeReport.id))
        .join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .join(PracticeReport, PracticeReport.enrolment_id == Enrolment.id)
        .where(PracticeReport.status == ReportStatus.SUBMITTED)
        .group_by(Cohort.id).order_by(Cohort.training_start.desc())).unique().all()
    return [(cohort, count) for cohort, count in rows]
