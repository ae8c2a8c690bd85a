"""The office's review: lists with filters, accept / reject / return, and lapsing.
Functions flush; callers commit."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import update

from lms import audit
from lms.applications.models import (
    Application,
    ApplicationDecision,
    ApplicationStatus,
    DecisionKind,
)
from lms.applications.services import ApplicationError, record_statement, refresh_verdict
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.cohorts.services import CohortError, enrol
from lms.extensions import db, rowcount
from lms.i18n import N_
from lms.links import external_url
from lms.notify import Text, notify
from lms.security import Role
from lms.xapi import vocab

#: the coded reasons of a rejection (不受理の理由) and how each reads
REASON_TEXTS = {
    "not_eligible": N_("Does not meet the eligibility requirements (§4)"),
    "evidence_insufficient": N_("The evidence documents are insufficient"),
    "over_capacity": N_("The cohort is over capacity"),
    "duplicate": N_("Duplicate application"),
    "withdrawn": N_("Withdrawn by the applicant"),
    "other": N_("Other"),
}
REJECT_REASONS = tuple(REASON_TEXTS)

#: the review list's filters, in the order the page shows them
FILTERS = ("undecided", "eligible", "not_eligible", "evidence_missing", "returned", "decided",
           "all")


def applications(cohort: Cohort, which: str) -> list[Application]:
    """The applications of *cohort* that the filter *which* selects (drafts never)."""
    rows = list(db.session.execute(
        db.select(Application).where(Application.cohort_id == cohort.id,
                                     Application.status != ApplicationStatus.DRAFT)
        .order_by(Application.submitted_at, Application.id)).scalars())
    submitted = [r for r in rows if r.status == ApplicationStatus.SUBMITTED]
    return {
        "undecided": submitted,
        "eligible": [r for r in submitted if r.eligible],
        "not_eligible": [r for r in submitted if not r.eligible],
        "evidence_missing": [r for r in submitted if r.evidence_missing],
        "returned": [r for r in rows if r.status == ApplicationStatus.RETURNED],
        "decided": [r for r in rows if r.status in (ApplicationStatus.ACCEPTED,
                                                    ApplicationStatus.REJECTED,
                                                    ApplicationStatus.LAPSED)],
    }.get(which, rows)


def counts(cohort: Cohort) -> dict[str, int]:
    return {which: len(applications(cohort, which)) for which in FILTERS}


def _decide(actor: User | None, application: Application, kind: DecisionKind,
            **fields) -> ApplicationDecision:
    verdict = refresh_verdict(application)
    decision = ApplicationDecision(kind=kind, decided_by=actor, eligible=verdict.eligible,
                                   rules_version=verdict.rules_version, **fields)
    application.decisions.append(decision)
    db.session.flush()
    audit.record(actor, f"application.{kind.value}", application,
                 {"reason": fields.get("reason_code"), "note": fields.get("note"),
                  "due": str(fields.get("correction_due") or ""),
                  "eligible": verdict.eligible, "rules_version": verdict.rules_version})
    return decision


def _require_submitted(application: Application) -> None:
    # Lock the row (PostgreSQL) so that two administrators cannot decide it both at once.
    db.session.execute(db.select(Application.id).where(Application.id == application.id)
                       .with_for_update())
    db.session.refresh(application, ["status"])
    if application.status != ApplicationStatus.SUBMITTED:
        raise ApplicationError("not_submitted")


def accept(actor: User, application: Application) -> None:
    """Accept: the applicant becomes a trainee of the cohort (refused when it is full)."""
    _require_submitted(application)
    if application.evidence_missing:
        raise ApplicationError("evidence_missing")
    person = application.user
    person.active = True
    if not person.has_role(Role.TRAINEE):
        person.set_roles(person.roles | {Role.TRAINEE})
    db.session.flush()
    try:
        enrol(actor, application.cohort, person)
    except CohortError as exc:
        raise ApplicationError(exc.code, **exc.params) from exc
    application.status = ApplicationStatus.ACCEPTED
    _decide(actor, application, DecisionKind.ACCEPTED)
    record_statement(actor, vocab.ACCEPTED, application, {"success": True})
    notify(application.user, "application_accepted", link=external_url("auth.login"),
           cohort=application.cohort.name, start=application.cohort.course1_start)


def reject(actor: User, application: Application, reason_code: str, note: str) -> None:
    """Reject with a coded reason (and a note, required for "other")."""
    _require_submitted(application)
    if reason_code not in REJECT_REASONS:
        raise ApplicationError("reason")
    if reason_code == "other" and not note.strip():
        raise ApplicationError("note_required")
    application.status = ApplicationStatus.REJECTED
    _decide(actor, application, DecisionKind.REJECTED, reason_code=reason_code,
            note=note.strip() or None)
    record_statement(actor, vocab.REJECTED, application,
                     {"success": False, "response": reason_code})
    notify(application.user, "application_rejected", link=external_url("applications.mine"),
           cohort=application.cohort.name, reason=Text(REASON_TEXTS[reason_code]),
           note=note.strip())


def return_for_correction(actor: User, application: Application, note: str, due: date,
                          today: date) -> None:
    """Return to the applicant with what to correct and a due date; uncorrected, it lapses."""
    _require_submitted(application)
    if not note.strip():
        raise ApplicationError("note_required")
    if due < today:
        raise ApplicationError("due_past")
    application.status = ApplicationStatus.RETURNED
    application.correction_note = note.strip()
    application.correction_due = due
    _decide(actor, application, DecisionKind.RETURNED, note=note.strip(), correction_due=due)
    record_statement(actor, vocab.RETURNED, application)
    notify(application.user, "application_returned",
           link=external_url("applications.edit", application_id=application.id),
           cohort=application.cohort.name, note=note.strip(), due=due)


def lapse_overdue(today: date) -> list[Application]:
    """Lapse every returned application whose correction due date has passed (cron-safe).

    Each is claimed by a conditional UPDATE, so two runs at once (SQLite has no row locks to
    skip) lapse, record and mail each application once.
    """
    candidates = db.session.execute(
        db.select(Application).where(Application.status == ApplicationStatus.RETURNED,
                                     Application.correction_due < today)
        .with_for_update(skip_locked=True)).scalars().all()
    rows = []
    for application in candidates:
        claimed = rowcount(db.session.execute(
            update(Application)
            .where(Application.id == application.id,
                   Application.status == ApplicationStatus.RETURNED)
            .values(status=ApplicationStatus.LAPSED)
            .execution_options(synchronize_session=False)))
        if claimed != 1:
            continue  # another run lapsed it first
        db.session.refresh(application)
        rows.append(application)
        due = application.correction_due
        _decide(None, application, DecisionKind.LAPSED, note=f"not corrected by {due}")
        notify(application.user, "application_lapsed", link=external_url("applications.mine"),
               cohort=application.cohort.name, due=due)
    db.session.flush()
    return rows


def reason_label(code: str) -> str:
    """A rejection reason in the reader's language (an unknown code as it is)."""
    return _(REASON_TEXTS[code]) if code in REASON_TEXTS else code
