"""The deadlines job (``flask lms deadlines``): reminders before due dates, and withdrawal
(辞退扱い, §5(2)イ(エ)) of trainees who missed the progress or final report.

Safe to run twice, even at the same moment: every notice is claimed by inserting a unique
row first, and a withdrawal (``withdraw_enrolment``) is one conditional UPDATE, so only one
run acts on each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from lms import audit
from lms.auth.models import User, UserRole
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.cohorts.services import withdraw_enrolment
from lms.extensions import db
from lms.links import external_url
from lms.notify import notify
from lms.practice import rules
from lms.practice.forms_cache import report_forms
from lms.practice.models import DeadlineNotice, PracticeReport, ReportStatus
from lms.practice.services import PracticeError, due_on, grant_extension
from lms.security import Role
from lms.timeutil import today_tokyo, utcnow

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


def _counted() -> set[ReportStatus]:
    """The statuses that count as submitted for withdrawal: a report returned for revision
    and not resubmitted by its new due date does not, unless the deployment reads it
    otherwise (LMS_RETURNED_REPORT_WITHDRAWS)."""
    counted = {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}
    if not current_app.config["RETURNED_REPORT_WITHDRAWS"]:
        counted.add(ReportStatus.RETURNED)
    return counted


def run(today: date) -> DeadlineRun:
    """Send due reminders and withdraw trainees past a missed due date, as of *today*."""
    summary = DeadlineRun()
    forms = report_forms()
    enrolments = db.session.execute(
        db.select(Enrolment).join(Cohort).where(Enrolment.status == EnrolmentStatus.ACTIVE)
    ).unique().scalars().all()
    for enrolment in enrolments:
        submitted, dues = _standing(enrolment)
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
    return withdraw(enrolment, reason, missed=missed, dues=dues)


def withdraw(enrolment: Enrolment, reason: str, actor: User | None = None,
             missed: tuple[str, ...] = (), voluntary: bool = False,
             dues: dict[str, date] | None = None) -> bool:
    """Withdraw an active enrolment (辞退) exactly once: audited, recorded, seat freed, mailed.

    Three causes share this one path: the nightly job (*missed* reports, no *actor*), the
    trainee's own withdrawal notice (辞退届, *voluntary*, the trainee as *actor*) and the
    secretariat (an administrator as *actor*, with *reason*). The side effects are
    :func:`lms.cohorts.services.withdraw_enrolment`'s. Returns False if the enrolment was no
    longer active (another run or person got there first).
    """
    if not reason.strip():
        raise PracticeError("reason_required")
    cause = "missed" if missed else ("voluntary" if voluntary else "office")
    if not withdraw_enrolment(enrolment, reason.strip(), actor, action="practice.withdraw",
                              details={"missed": list(missed), "cause": cause}):
        return False  # another run got there first
    trainee = db.session.get_one(User, enrolment.user_id)
    link = external_url("practice.overview")
    # each [title, due date] pair is worded in the reader's language
    pairs = [[report_forms()[k].title, (dues or {}).get(k)] for k in missed]
    if cause == "missed":
        notify(trainee, "withdrawn", link=link, missed=pairs)
    elif cause == "voluntary":
        notify(trainee, "withdrawal_received", link=link, cohort=enrolment.cohort.name)
    else:
        notify(trainee, "withdrawn_by_office", link=link, cohort=enrolment.cohort.name,
               reason=reason)
    admins = db.session.execute(db.select(User).join(UserRole).where(
        UserRole.role == Role.ADMIN, User.active.is_(True))).scalars().all()
    for admin in admins:
        office = external_url("office.trainee", enrolment_id=enrolment.id)
        if cause == "missed":
            notify(admin, "trainee_withdrawn", link=office, trainee=trainee.name,
                   cohort=enrolment.cohort.name, missed=pairs)
        else:
            notify(admin, "trainee_withdrew", link=office, trainee=trainee.name,
                   cohort=enrolment.cohort.name, reason=reason)
    return True


def _remind(enrolment: Enrolment, title: str, due: date, days: int) -> None:
    trainee = db.session.get_one(User, enrolment.user_id)
    notify(trainee, "deadline_reminder", link=external_url("practice.overview"), title=title,
           days=days, due=due)


def _standing(enrolment: Enrolment) -> tuple[set[str], dict[str, date]]:
    """The watched reports that count as submitted, and each one's due date for this trainee."""
    reports = {r.kind: r for r in db.session.execute(
        db.select(PracticeReport).filter_by(enrolment_id=enrolment.id)).scalars()}
    counted = _counted()
    submitted = {k for k, r in reports.items() if r.status in counted}
    return submitted, {kind: due_on(enrolment, kind, reports.get(kind)) for kind in WATCHED}


def overdue_kinds(enrolment: Enrolment, today: date) -> list[str]:
    """The reports whose missing submission would withdraw the trainee again tonight."""
    submitted, dues = _standing(enrolment)
    return rules.withdrawal_due(dues, submitted, today)


def reinstate(actor: User, enrolment: Enrolment, reason: str,
              new_dues: dict[str, date] | None = None, today: date | None = None) -> None:
    """Undo a withdrawal, with the reason in the audit log.

    Every report already overdue needs a new due date (today or later) in *new_dues*, given
    as an extension in the same step: otherwise the next nightly run withdraws again.
    """
    today = today or today_tokyo()
    if enrolment.status != EnrolmentStatus.WITHDRAWN or not reason.strip():
        raise PracticeError("bad_reinstate")
    new_dues = {k: v for k, v in (new_dues or {}).items() if v is not None}
    for kind in overdue_kinds(enrolment, today):
        if kind not in new_dues or new_dues[kind] < today:
            raise PracticeError("reinstate_needs_dates", {kind: "required"})
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.withdrawn_at = None
    enrolment.withdrawal_reason = None
    db.session.flush()
    audit.record(actor, "practice.reinstate", enrolment, {
        "reason": reason.strip(), "new_dues": {k: v.isoformat() for k, v in new_dues.items()}})
    for kind, until in new_dues.items():
        grant_extension(actor, enrolment, kind, until, reason)
