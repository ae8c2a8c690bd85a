"""Every cohort at a glance, for the staff homes and the cohort list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lms.cohorts import rules
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.extensions import db


@dataclass(frozen=True)
class CohortSummary:
    cohort: Cohort
    active: int
    withdrawn: int
    stage: str


def cohort_summaries(today: date) -> list[CohortSummary]:
    """Return every cohort, newest first, with head counts and its current stage."""
    cohorts = db.session.execute(
        db.select(Cohort).order_by(Cohort.training_start.desc())
    ).unique().scalars().all()
    counts = dict(
        db.session.execute(
            db.select(Enrolment.cohort_id, db.func.count())
            .where(Enrolment.status != EnrolmentStatus.WITHDRAWN)
            .group_by(Enrolment.cohort_id)
        ).all()
    )
    withdrawn = dict(
        db.session.execute(
            db.select(Enrolment.cohort_id, db.func.count())
            .where(Enrolment.status == EnrolmentStatus.WITHDRAWN)
            .group_by(Enrolment.cohort_id)
        ).all()
    )
    return [
        CohortSummary(c, counts.get(c.id, 0), withdrawn.get(c.id, 0),
                      rules.current_stage(c.dates(), today))
        for c in cohorts
    ]
