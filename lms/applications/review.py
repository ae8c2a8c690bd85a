"""The office's review: lists with filters, accept / reject / return, and lapsing.
Functions flush; callers commit."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update

from lms import audit, mail
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
from lms.links import external_url
from lms.security import Role
from lms.xapi import vocab

#: the coded reasons of a rejection (不受理の理由)
REJECT_REASONS = ("not_eligible", "evidence_insufficient", "over_capacity", "duplicate",
                  "withdrawn", "other")

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
    _mail(application, lambda: _("Your application was accepted"), lambda: _(
        "%(name)s,\n\nYour application to %(cohort)s was accepted. Log in to start course 1 "
        "from %(start)s:\n\n%(link)s\n", name=application.full_name,
        cohort=application.cohort.name, start=application.cohort.course1_start.isoformat(),
        link=external_url("auth.login")))


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
    _mail(application, lambda: _("The result of your application"), lambda: _(
        "%(name)s,\n\nWe regret that your application to %(cohort)s could not be accepted.\n"
        "Reason: %(reason)s\n%(note)s\n", name=application.full_name,
        cohort=application.cohort.name, reason=reason_label(reason_code), note=note.strip()))


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
    _mail(application, lambda: _("Your application needs correcting"), lambda: _(
        "%(name)s,\n\nThe secretariat returned your application to %(cohort)s for "
        "correction:\n\n%(note)s\n\nCorrect it and submit it again by %(due)s, or it lapses:"
        "\n\n%(link)s\n", name=application.full_name, cohort=application.cohort.name,
        note=note.strip(), due=due.isoformat(),
        link=external_url("applications.edit", application_id=application.id)))


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
        _decide(None, application, DecisionKind.LAPSED,
                note=f"not corrected by {application.correction_due.isoformat()}")
        _mail(application, lambda: _("Your application has lapsed"), lambda a=application: _(
            "%(name)s,\n\nYour application to %(cohort)s was not corrected by %(due)s and "
            "has lapsed.\n", name=a.full_name, cohort=a.cohort.name,
            due=a.correction_due.isoformat()))
    db.session.flush()
    return rows


def reason_label(code: str) -> str:
    return {
        "not_eligible": _("Does not meet the eligibility requirements (§4)"),
        "evidence_insufficient": _("The evidence documents are insufficient"),
        "over_capacity": _("The cohort is over capacity"),
        "duplicate": _("Duplicate application"),
        "withdrawn": _("Withdrawn by the applicant"),
        "other": _("Other"),
    }.get(code, code)


def _mail(application: Application, subject, body) -> None:
    """Queue a message to the applicant, written in their language (not the deciding
    administrator's)."""
    with force_locale(application.user.locale):
        mail.queue(application.user.email, subject(), body())
