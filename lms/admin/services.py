"""Queries behind the administration pages."""

from __future__ import annotations

from sqlalchemy import or_

from lms import paging, progression
from lms.auth.models import User, UserRole
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.mail.models import OutgoingMail
from lms.security import Role
from lms.xapi.models import Statement

#: accounts per page of the user list
USERS_PER_PAGE = paging.PER_PAGE


def users_page(role: str | None = None, query: str = "", page: int = 1) -> paging.Page[User]:
    """One page of accounts by name (then id), filtered by role and by a part of the name or
    e-mail address; past the last page, the last page. Reads one page whatever the number
    of accounts (the count is one indexed ``count(*)``)."""
    stmt = db.select(User)
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.id.in_(db.select(UserRole.user_id)
                                      .where(UserRole.role == Role(role))))
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(or_(db.func.lower(User.name).like(like), User.email.like(like)))
    total = db.session.scalar(
        db.select(db.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    number = paging.clamp(page, total, USERS_PER_PAGE)
    rows = db.session.execute(stmt.order_by(User.name, User.id).limit(USERS_PER_PAGE)
                              .offset(paging.offset(number, USERS_PER_PAGE))).scalars()
    return paging.Page(list(rows), total, number, USERS_PER_PAGE)


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
    """How many trainees reached each point of the programme (all cohorts), for a chart.

    The points are the registered stages' milestones, in the order of ``content/program.yml``
    (the first is the application accepted, ``lms.applications.programme``), then the
    withdrawn enrolments; a trainee counts once however many enrolments. Each trainee's
    units are kept under their progress version: only those whose progress changed are
    computed again (the first view of a Tokyo day computes everyone's).
    """
    count = db.func.count
    trainees = [(user_id, public_id, version) for user_id, public_id, version in
                db.session.execute(db.select(User.id, User.public_id, User.progress_version)
                                   .where(User.id.in_(db.select(Enrolment.user_id))))]
    withdrawn = db.session.scalar(db.select(count()).select_from(Enrolment).where(
        Enrolment.status == EnrolmentStatus.WITHDRAWN))
    done = progression.satisfied_by_trainee(trainees)
    points = [u for u in progression.programme_units() if u in progression.milestones()]
    return [*((unit, sum(1 for units in done.values() if unit in units)) for unit in points),
            ("withdrawn", withdrawn)]
