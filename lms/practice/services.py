"""Writing, submitting and reviewing practice reports and reflections. Functions flush;
callers commit."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from lms import audit, mail, xapi
from lms.auth.models import User
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.links import external_url
from lms.practice import rules
from lms.practice.forms_cache import report_forms
from lms.practice.models import (
    DeadlineExtension,
    PracticeReport,
    Reflection,
    ReportReview,
    ReportStatus,
    ReportVersion,
)
from lms.storage import StorageFull, write_atomically
from lms.timeutil import today_tokyo, utcnow
from lms.xapi import vocab

REPORT_KINDS = ("goal", "progress", "final")


class PracticeError(Exception):
    """A practice action the rules refuse; ``code`` names the reason, ``fields`` any errors."""

    def __init__(self, code: str, fields: dict[str, str] | None = None):
        super().__init__(code)
        self.code = code
        self.fields = fields or {}


def report_for(enrolment: Enrolment, kind: str, create: bool = True) -> PracticeReport | None:
    row = db.session.execute(
        db.select(PracticeReport).filter_by(enrolment_id=enrolment.id, kind=kind)
    ).scalar_one_or_none()
    if row is None and create:
        row = PracticeReport(enrolment_id=enrolment.id, user_id=enrolment.user_id, kind=kind,
                             status=ReportStatus.DRAFT, values={})
        db.session.add(row)
        db.session.flush()
    return row


def extension_until(enrolment: Enrolment, kind: str) -> date | None:
    return db.session.execute(
        db.select(db.func.max(DeadlineExtension.until))
        .filter_by(enrolment_id=enrolment.id, kind=kind)).scalar()


def due_on(enrolment: Enrolment, kind: str, report: PracticeReport | None = None) -> date:
    """The date by which *kind* must be submitted: the cohort's date, a revision due date
    after a return, or an extension, whichever is latest."""
    form = report_forms()[kind]
    due = rules.due_date(form, enrolment.cohort.dates(), extension_until(enrolment, kind))
    if report is not None and report.revision_due_on and report.revision_due_on > due:
        due = report.revision_due_on
    return due


def goal_submitted(enrolment: Enrolment) -> bool:
    goal = report_for(enrolment, "goal", create=False)
    return goal is not None and goal.status != ReportStatus.DRAFT


def _check_writable(enrolment: Enrolment, report: PracticeReport) -> None:
    if report.kind != "goal" and not goal_submitted(enrolment):
        raise PracticeError("goal_first")
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        raise PracticeError("already_submitted")


def save_draft(enrolment: Enrolment, kind: str, values: dict[str, Any]) -> PracticeReport:
    """Keep a draft (autosave): only limits that partial text can break are checked."""
    report = report_for(enrolment, kind)
    _check_writable(enrolment, report)
    form = report_forms()[kind]
    clean = {f.id: values.get(f.id) for f in form.fields if f.id in values and f.type != "file"}
    errors = rules.validate_values(form, clean, final=False)
    if errors:
        raise PracticeError("invalid", errors)
    report.values = {**report.values, **clean}
    report.draft_saved_at = utcnow()
    db.session.flush()
    return report


def submit(enrolment: Enrolment, kind: str, values: dict[str, Any],
           now: datetime | None = None) -> PracticeReport:
    """Submit a report: complete and valid, and on time unless extended; keeps a version."""
    now = now or utcnow()
    report = report_for(enrolment, kind)
    _check_writable(enrolment, report)
    form = report_forms()[kind]
    # Attachments come only from uploads the server stored, never from the submitted values.
    clean = {f.id: report.values.get(f.id) if f.type == "file" else values.get(f.id)
             for f in form.fields}
    errors = rules.validate_values(form, clean, final=True)
    if errors:
        raise PracticeError("invalid", errors)
    if rules.is_late(due_on(enrolment, kind, report), today_tokyo(now)):
        raise PracticeError("late")
    report.values = clean
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    number = len(report.versions) + 1
    report.versions.append(ReportVersion(number=number, values=clean, submitted_at=now))
    db.session.flush()
    user = db.session.get(User, enrolment.user_id)
    verb = vocab.SET_GOAL if kind == "goal" else vocab.SUBMITTED
    xapi.record(user, verb, _activity(form.id, form.title, kind),
                result={"completion": True, "extensions": {
                    xapi.activity_iri("extensions", vocab.EXT_VERSION): number}},
                registration=enrolment.registration, timestamp=now)
    return report


def _activity(form_id: str, title: str, kind: str) -> dict:
    return xapi.activity(xapi.activity_iri("practice", form_id),
                         vocab.TYPE_GOAL if kind == "goal" else vocab.TYPE_REPORT, title)


def review(reviewer: User, report: PracticeReport, decision: ReportStatus, comment: str,
           new_due_on: date | None = None) -> ReportReview:
    """Accept a submitted report or return it for revision by *new_due_on*; tell the trainee."""
    if report.status != ReportStatus.SUBMITTED:
        raise PracticeError("not_submitted")
    if decision == ReportStatus.RETURNED and (new_due_on is None or new_due_on < today_tokyo()):
        raise PracticeError("due_required")
    if decision not in (ReportStatus.RETURNED, ReportStatus.ACCEPTED):
        raise PracticeError("bad_decision")
    entry = ReportReview(report=report, version_number=len(report.versions),
                         reviewer_id=reviewer.id, decision=decision, comment=comment.strip(),
                         new_due_on=new_due_on if decision == ReportStatus.RETURNED else None)
    db.session.add(entry)
    report.status = decision
    if decision == ReportStatus.RETURNED:
        report.revision_due_on = new_due_on
    else:
        report.accepted_at = utcnow()
    db.session.flush()
    enrolment = db.session.get(Enrolment, report.enrolment_id)
    trainee = db.session.get(User, report.user_id)
    form = report_forms()[report.kind]
    xapi.record(trainee, vocab.RETURNED if decision == ReportStatus.RETURNED else vocab.ACCEPTED,
                _activity(form.id, form.title, report.kind),
                result={"success": decision == ReportStatus.ACCEPTED},
                registration=enrolment.registration)
    _notify_review(trainee, form.title, entry)
    return entry


def _notify_review(trainee: User, title: str, entry: ReportReview) -> None:
    link = external_url("practice.overview")
    with force_locale(trainee.locale):
        if entry.decision == ReportStatus.ACCEPTED:
            subject = _("Your %(title)s was accepted", title=title)
            body = _("%(name)s,\n\nYour %(title)s was accepted.\n\n%(comment)s\n\n%(link)s\n",
                     name=trainee.name, title=title, comment=entry.comment, link=link)
        else:
            subject = _("Your %(title)s was returned for revision", title=title)
            body = _("%(name)s,\n\nYour %(title)s was returned for revision. Please revise it "
                     "and submit it again by %(due)s.\n\n%(comment)s\n\n%(link)s\n",
                     name=trainee.name, title=title, due=entry.new_due_on.isoformat(),
                     comment=entry.comment, link=link)
    mail.queue(trainee.email, subject, body)


def save_reflection(enrolment: Enrolment, entry_date: date, values: dict[str, Any],
                    today: date | None = None) -> Reflection:
    """Write or edit one day's reflection, within the form's editing window."""
    today = today or today_tokyo()
    form = report_forms()["reflection"]
    if not goal_submitted(enrolment):
        raise PracticeError("goal_first")
    if not rules.reflection_editable(entry_date, today, form.editable_days or 0):
        raise PracticeError("not_editable")
    clean = {f.id: values.get(f.id) for f in form.fields}
    errors = rules.validate_values(form, clean, final=True)
    if errors:
        raise PracticeError("invalid", errors)
    row = db.session.execute(db.select(Reflection).filter_by(
        enrolment_id=enrolment.id, entry_date=entry_date)).scalar_one_or_none()
    new = row is None
    if new:
        row = Reflection(enrolment_id=enrolment.id, user_id=enrolment.user_id,
                         entry_date=entry_date)
        db.session.add(row)
    row.values, row.updated_at = clean, utcnow()
    db.session.flush()
    if new:
        xapi.record(db.session.get(User, enrolment.user_id), vocab.REFLECTED, xapi.activity(
            xapi.activity_iri("practice", "reflections", entry_date.isoformat()),
            vocab.TYPE_REFLECTION, f"{form.title} {entry_date.isoformat()}"),
            registration=enrolment.registration)
    return row


def reflections(enrolment: Enrolment) -> list[Reflection]:
    return list(db.session.execute(db.select(Reflection).filter_by(
        enrolment_id=enrolment.id).order_by(Reflection.entry_date.desc())).scalars())


def practice_complete(enrolment: Enrolment) -> bool:
    """Practice is complete when the goal and both reports are accepted."""
    accepted = set(db.session.execute(db.select(PracticeReport.kind).filter_by(
        enrolment_id=enrolment.id, status=ReportStatus.ACCEPTED)).scalars())
    return accepted >= set(REPORT_KINDS)


def grant_extension(actor: User, enrolment: Enrolment, kind: str, until: date,
                    reason: str) -> DeadlineExtension:
    """Give one trainee a later due date for one report (audited)."""
    if kind not in ("goal", "progress", "final") or not reason.strip():
        raise PracticeError("bad_extension")
    row = DeadlineExtension(enrolment_id=enrolment.id, kind=kind, until=until,
                            reason=reason.strip(), granted_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "practice.extension", enrolment,
                 {"kind": kind, "until": until.isoformat(), "reason": reason.strip()})
    return row


def attach(enrolment: Enrolment, kind: str, field_id: str, filename: str, data: bytes,
           folder: Path) -> dict[str, Any]:
    """Store an uploaded attachment for a report field (replacing an earlier one)."""
    report = report_for(enrolment, kind)
    _check_writable(enrolment, report)
    form = report_forms()[kind]
    field = next((f for f in form.fields if f.id == field_id and f.type == "file"), None)
    if field is None:
        raise PracticeError("invalid")
    name = Path(filename).name.strip() or "attachment"
    meta = {"name": name, "size": len(data)}
    errors = rules.validate_values(form, {field_id: meta}, final=False)
    if errors:
        raise PracticeError("invalid", errors)
    target = folder / str(report.id)
    target.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    try:
        write_atomically(target / stored, data)
    except StorageFull as exc:
        raise PracticeError("storage") from exc
    meta["stored"] = f"{report.id}/{stored}"
    report.values = {**report.values, field_id: meta}
    report.draft_saved_at = utcnow()
    db.session.flush()
    return meta
