"""Creating cohorts, changing their dates, enrolling trainees. Functions flush; callers commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from flask import g, has_request_context
from sqlalchemy import update

from lms import audit, xapi
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.cohorts.rules import DATE_FIELDS, WINDOW_FIELDS, date_order_problems, window_problems
from lms.errors import UserError
from lms.extensions import db, rowcount
from lms.security import Role
from lms.timeutil import utcnow
from lms.xapi import context as where
from lms.xapi import vocab

#: What other features do when an enrolment is withdrawn, called as ``hook(enrolment, actor,
#: now)`` in the same transaction (course ② gives the seat back, say). Features register with
#: :func:`on_withdrawal`, so this package knows none of them.
WITHDRAWAL_HOOKS: list[Callable[[Enrolment, User | None, datetime], None]] = []


class CohortError(UserError, ValueError):
    """A cohort change the rules refuse; ``code`` names the reason for the view's message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _apply(cohort: Cohort, name: str, capacity: int, dates: dict[str, date]) -> None:
    # a form or caller from before the progress report had an opening date: practice start
    dates = {**dates, "progress_report_opens": dates.get("progress_report_opens")
             or dates["practice_start"]}
    problems = date_order_problems(dates) + window_problems(dates)
    if problems:
        raise CohortError("date_order", pairs=problems)
    if capacity < len([e for e in cohort.enrolments if e.status != EnrolmentStatus.WITHDRAWN]):
        raise CohortError("capacity_below_enrolled")
    cohort.name = name
    cohort.capacity = capacity
    for field in DATE_FIELDS:
        setattr(cohort, field, dates[field])
    for field in WINDOW_FIELDS:
        setattr(cohort, field, dates.get(field))


def create_cohort(actor: User, name: str, capacity: int, dates: dict[str, date]) -> Cohort:
    """Create a cohort after checking that its stage dates run in order."""
    cohort = Cohort(enrolments=[])
    _apply(cohort, name, capacity, dates)
    db.session.add(cohort)
    db.session.flush()
    audit.record(actor, "cohort.create", cohort, {"name": name})
    return cohort


def update_cohort(actor: User, cohort: Cohort, name: str, capacity: int, dates) -> Cohort:
    """Change a cohort's name, capacity or dates; the audit log keeps what changed."""
    fields = ("name", "capacity", *DATE_FIELDS, *WINDOW_FIELDS)
    before = {f: str(getattr(cohort, f)) for f in fields}
    _apply(cohort, name, capacity, dates)
    after = {f: str(getattr(cohort, f)) for f in fields}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    db.session.flush()
    audit.record(actor, "cohort.update", cohort, {"changes": changes})
    return cohort


def active_count(cohort: Cohort) -> int:
    return sum(1 for e in cohort.enrolments if e.status != EnrolmentStatus.WITHDRAWN)


def enrol(actor: User | None, cohort: Cohort, trainee: User) -> Enrolment:
    """Enrol *trainee* in *cohort*, refusing non-trainees, duplicates and a full cohort."""
    if not trainee.has_role(Role.TRAINEE):
        raise CohortError("not_trainee")
    # Lock the cohort row (PostgreSQL) so two enrolments cannot both take the last seat.
    db.session.execute(db.select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    db.session.refresh(cohort, ["enrolments"])
    if any(e.user_id == trainee.id for e in cohort.enrolments):
        raise CohortError("already_enrolled")
    if active_count(cohort) >= cohort.capacity:
        raise CohortError("full", capacity=cohort.capacity)
    enrolment = Enrolment(user=trainee, cohort=cohort)
    db.session.add(enrolment)
    db.session.flush()
    audit.record(actor, "cohort.enrol", enrolment, {"user": trainee.id, "cohort": cohort.id})
    xapi.record(trainee, vocab.REGISTERED, where.cohort(cohort.id, cohort.name),
                context=where.of(enrolment))
    return enrolment


def current_enrolment(user: User) -> Enrolment | None:
    """Return the trainee's most recent enrolment, if any.

    Remembered for the rest of a web request: a trainee's pages ask for it many times over.
    """
    cache = g.setdefault("lms_enrolments", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = db.session.execute(
            db.select(Enrolment).filter_by(user_id=user.id).order_by(Enrolment.id.desc())
            .limit(1)).scalar_one_or_none()
    return cache[user.id]


def latest_enrolments(users) -> dict[int, Enrolment]:
    """Each trainee's most recent enrolment, by user id (one query; a single trainee's comes
    from the request's memory, see :func:`current_enrolment`)."""
    if len(users) == 1:
        found = current_enrolment(users[0])
        return {users[0].id: found} if found is not None else {}
    latest = db.select(db.func.max(Enrolment.id)).where(
        Enrolment.user_id.in_([u.id for u in users])).group_by(Enrolment.user_id)
    rows = db.session.execute(db.select(Enrolment).where(Enrolment.id.in_(latest))).scalars()
    return {e.user_id: e for e in rows}


def on_withdrawal(hook: Callable[[Enrolment, User | None, datetime], None]):
    """Register *hook* to run after every withdrawal (a decorator)."""
    if hook not in WITHDRAWAL_HOOKS:
        WITHDRAWAL_HOOKS.append(hook)
    return hook


def withdraw_enrolment(enrolment: Enrolment, reason: str, actor: User | None = None, *,
                       action: str = "cohort.withdraw", details: dict | None = None,
                       now: datetime | None = None) -> bool:
    """Withdraw (辞退) an active enrolment with every side effect; False if it was not active.

    One conditional UPDATE, so two withdrawals at once act once. Then the audit record
    (*action*, the reason and *details*), the "withdrew" statement, and the registered hooks
    (the course ② booking is cancelled and its seat offered to the waitlist). Mail to the
    trainee is the caller's, since its wording depends on why.
    """
    now = now or utcnow()
    changed = rowcount(db.session.execute(
        update(Enrolment)
        .where(Enrolment.id == enrolment.id, Enrolment.status == EnrolmentStatus.ACTIVE)
        .values(status=EnrolmentStatus.WITHDRAWN, withdrawn_at=now,
                withdrawal_reason=reason[:300])
        .execution_options(synchronize_session=False)))
    if changed != 1:
        return False
    db.session.refresh(enrolment)
    audit.record(actor, action, enrolment, {**(details or {}), "reason": reason})
    trainee = db.session.get(User, enrolment.user_id)
    # A decision, not a learner abandoning a session: the person who decided is the actor
    # (the trainee for a withdrawal notice, an administrator, or the LMS's nightly job).
    xapi.record(actor, vocab.WITHDRAWN, where.cohort(enrolment.cohort_id, enrolment.cohort.name),
                result={"extensions": {vocab.EXT_REASON.iri: reason}},
                context=where.of(enrolment, trainee=trainee), timestamp=now)
    for hook in WITHDRAWAL_HOOKS:
        hook(enrolment, actor, now)
    return True
