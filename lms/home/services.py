"""What each role's home page shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lms.auth.models import User
from lms.booking.models import SessionDay
from lms.cohorts import rules
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.cohorts.services import current_enrolment
from lms.extensions import db
from lms.practice.models import PracticeReport, ReportStatus


@dataclass(frozen=True)
class StageView:
    key: str
    start: date
    end: date
    state: str  # done | current | upcoming
    percent: int


@dataclass(frozen=True)
class TraineeHome:
    enrolment: Enrolment | None
    stages: list[StageView]
    deadlines: list[tuple[str, date, int]]  # (key, date, days left)
    overall_percent: int


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
    deadlines = [
        (key, dates[key], (dates[key] - today).days)
        for key in ("course1_end", "progress_report_due", "final_report_due")
        if dates[key] >= today
    ]
    overall = rules.window_progress(dates["course1_start"], dates["course2_end"], today)
    return TraineeHome(enrolment, views, deadlines, overall)


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


def pending_reviews() -> list[tuple[Cohort, int]]:
    """Cohorts with submitted practice reports awaiting review, newest cohort first."""
    rows = db.session.execute(
        db.select(Cohort, db.func.count(PracticeReport.id))
        .join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .join(PracticeReport, PracticeReport.enrolment_id == Enrolment.id)
        .where(PracticeReport.status == ReportStatus.SUBMITTED)
        .group_by(Cohort.id).order_by(Cohort.training_start.desc())).unique().all()
    return [(cohort, count) for cohort, count in rows]


def sessions_on(day: date) -> list:
    """Course ② session days held on *day* (Tokyo), earliest first."""
    return list(db.session.execute(
        db.select(SessionDay).where(SessionDay.day == day).order_by(SessionDay.starts_at)
    ).scalars())
