"""Queries behind the administration pages."""

from __future__ import annotations

from sqlalchemy import or_

from lms.auth.models import User, UserRole
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.mail.models import OutgoingMail
from lms.security import Role
from lms.xapi.models import Statement


def list_users(role: str | None = None, query: str = "") -> list[User]:
    stmt = db.select(User).order_by(User.name)
    if role in {r.value for r in Role}:
        stmt = stmt.join(UserRole).where(UserRole.role == Role(role))
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(or_(db.func.lower(User.name).like(like), User.email.like(like)))
    return list(db.session.execute(stmt).scalars())


def dashboard_stats() -> dict:
    """Counts for the administrator's dashboard and its charts."""
    by_role = dict(db.session.execute(
        db.select(UserRole.role, db.func.count()).group_by(UserRole.role)).all())
    per_cohort = db.session.execute(
        db.select(Cohort.name, db.func.count(Enrolment.id))
        .outerjoin(Enrolment, (Enrolment.cohort_id == Cohort.id)
                   & (Enrolment.status != EnrolmentStatus.WITHDRAWN))
        .group_by(Cohort.id, Cohort.name).order_by(Cohort.training_start)
    ).all()
    return {
        "users": db.session.scalar(db.select(db.func.count()).select_from(User)),
        "by_role": [(role, by_role.get(role, 0)) for role in Role],
        "cohorts": len(per_cohort),
        "per_cohort": [(name, count) for name, count in per_cohort],
        "statements": db.session.scalar(db.select(db.func.count()).select_from(Statement)),
        "mail_unsent": db.session.scalar(
            db.select(db.func.count()).select_from(OutgoingMail)
            .where(OutgoingMail.sent_at.is_(None))),
    }


def programme_funnel() -> list[tuple[str, int]]:
    """How many trainees reached each point of the programme (all cohorts), for a chart."""
    from lms.assessment.models import Quiz, QuizAttempt
    from lms.booking.models import BookingStatus, SessionBooking
    from lms.practice.models import PracticeReport, ReportStatus

    count = db.func.count
    enrolled = db.session.scalar(db.select(count()).select_from(Enrolment))
    passed = db.session.scalar(
        db.select(count(db.distinct(QuizAttempt.user_id))).join(Quiz)
        .where(Quiz.slug == "comprehensive", QuizAttempt.passed.is_(True)))
    practice = db.session.scalar(db.select(count()).select_from(
        db.select(PracticeReport.enrolment_id).where(
            PracticeReport.status == ReportStatus.ACCEPTED)
        .group_by(PracticeReport.enrolment_id).having(count() >= 3).subquery()))
    booked = db.session.scalar(db.select(count()).select_from(SessionBooking).where(
        SessionBooking.status == BookingStatus.BOOKED))
    withdrawn = db.session.scalar(db.select(count()).select_from(Enrolment).where(
        Enrolment.status == EnrolmentStatus.WITHDRAWN))
    return [("enrolled", enrolled), ("course1", passed), ("practice", practice),
            ("course2", booked), ("withdrawn", withdrawn)]
