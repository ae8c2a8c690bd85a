"""The deadlines job (``flask lms deadlines``): reminders before due dates, and withdrawal
(辞退扱い, §5(2)イ(エ)) of trainees who missed the progress or final report.

Safe to run twice, even at the same moment: every notice is claimed by inserting a unique
row first, and a withdrawal is one conditional UPDATE, so only one run acts on each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from lms import audit, xapi
from lms.auth.models import User, UserRole
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.links import external_url
from lms.notify import notify
from lms.practice import rules
from lms.practice.forms_cache import report_forms
from lms.practice.models import DeadlineNotice, PracticeReport, ReportStatus
from lms.practice.services import due_on
from lms.security import Role
from lms.timeutil import utcnow
from lms.xapi import vocab

WATCHED = ("progress", "final")


@dataclass
class DeadlineRun:
    reminded: list[tuple[int, str, int]] = field(default_factory=list)
    withdrawn: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)


def _claim(enrolment_id: int, kind: str, notice: str) -> bool:
    """Insert the notice row unless it exists; True only for the run that inserted it."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(DeadlineNotice)
    inserted = db.session.execute(insert.values(
        enrolment_id=enrolment_id, kind=kind, notice=notice, sent_at=utcnow(),
    ).on_conflict_do_nothing().returning(DeadlineNotice.id)).first()
    return inserted is not None


def run(today: date) -> DeadlineRun:
    """Send due reminders and withdraw trainees past a missed due date, as of *today*."""
    summary = DeadlineRun()
    forms = report_forms()
    enrolments = db.session.execute(
        db.select(Enrolment).join(Cohort).where(Enrolment.status == EnrolmentStatus.ACTIVE)
    ).unique().scalars().all()
    for enrolment in enrolments:
        reports = {r.kind: r for r in db.session.execute(
            db.select(PracticeReport).filter_by(enrolment_id=enrolment.id)).scalars()}
        submitted = {k for k, r in reports.items()
                     if r.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)}
        dues = {kind: due_on(enrolment, kind, reports.get(kind)) for kind in WATCHED}
        missed = rules.withdrawal_due(dues, submitted, today)
        if missed:
            if _withdraw(enrolment, tuple(missed), dues):
                summary.withdrawn.append((enrolment.id, tuple(missed)))
            continue
        for kind in WATCHED:
            if kind in submitted:
                continue
            days = rules.reminder_days(dues[kind], today)
            if days is not None and _claim(enrolment.id, kind, f"reminder-{days}"):
                _remind(enrolment, forms[kind].title, dues[kind], days)
                summary.reminded.append((enrolment.id, kind, days))
    db.session.flush()
    return summary


def _withdraw(enrolment: Enrolment, missed: tuple[str, ...], dues: dict[str, date]) -> bool:
    reason = "; ".join(f"{kind} report not submitted by {dues[kind].isoformat()}"
                       for kind in missed)
    changed = db.session.execute(
        update(Enrolment)
        .where(Enrolment.id == enrolment.id, Enrolment.status == EnrolmentStatus.ACTIVE)
        .values(status=EnrolmentStatus.WITHDRAWN, withdrawn_at=utcnow(),
                withdrawal_reason=reason[:300])
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        return False  # another run got there first
    db.session.refresh(enrolment)
    trainee = db.session.get(User, enrolment.user_id)
    audit.record(None, "practice.withdraw", enrolment, {"missed": list(missed),
                                                        "reason": reason})
    xapi.record(trainee, vocab.WITHDREW, xapi.activity(
        xapi.activity_iri("cohorts", str(enrolment.cohort_id)), vocab.TYPE_COURSE,
        enrolment.cohort.name), result={"success": False, "completion": False},
        registration=enrolment.registration)
    # each [title, due date] pair is worded in the reader's language
    pairs = [[report_forms()[k].title, dues[k]] for k in missed]
    notify(trainee, "withdrawn", link=external_url("practice.overview"), missed=pairs)
    admins = db.session.execute(db.select(User).join(UserRole).where(
        UserRole.role == Role.ADMIN, User.active.is_(True))).scalars().all()
    for admin in admins:
        notify(admin, "trainee_withdrawn",
               link=external_url("office.trainee", enrolment_id=enrolment.id),
               trainee=trainee.name, cohort=enrolment.cohort.name, missed=pairs)
    return True


def _remind(enrolment: Enrolment, title: str, due: date, days: int) -> None:
    trainee = db.session.get(User, enrolment.user_id)
    notify(trainee, "deadline_reminder", link=external_url("practice.overview"), title=title,
           days=days, due=due)


def reinstate(actor: User, enrolment: Enrolment, reason: str) -> None:
    """Undo a withdrawal, with the reason in the audit log (an extension usually goes with it)."""
    if enrolment.status != EnrolmentStatus.WITHDRAWN or not reason.strip():
        raise ValueError("not withdrawn, or no reason")
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.withdrawn_at = None
    enrolment.withdrawal_reason = None
    db.session.flush()
    audit.record(actor, "practice.reinstate", enrolment, {"reason": reason.strip()})
