"""Writing, submitting and reviewing practice reports and reflections. Functions flush;
callers commit."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal, overload

from flask import current_app
from sqlalchemy import update

from lms import audit, uploads, xapi
from lms.auth.models import User
from lms.cohorts.models import Enrolment
from lms.errors import UserError
from lms.extensions import db, rowcount
from lms.links import external_url
from lms.notify import notify
from lms.practice import programme, rules
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
from lms.xapi import context as where
from lms.xapi import vocab

#: the reports of the practice stage (the programme entry says they complete it)
REPORT_KINDS = programme.REPORT_KINDS


class PracticeError(UserError):
    """A practice action the rules refuse; ``code`` names the reason, ``fields`` any errors."""

    def __init__(self, code: str, fields: dict[str, str] | None = None):
        super().__init__(code)
        self.code = code
        self.fields = fields or {}


@overload
def report_for(enrolment: Enrolment, kind: str,
               create: Literal[True] = True) -> PracticeReport: ...


@overload
def report_for(enrolment: Enrolment, kind: str, create: bool) -> PracticeReport | None: ...


def report_for(enrolment: Enrolment, kind: str, create: bool = True) -> PracticeReport | None:
    """The trainee's report of *kind*; a new draft if there is none and *create* is true."""
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


def not_open_reason(enrolment: Enrolment, kind: str, today: date | None = None) -> str | None:
    """Why report *kind* cannot be written yet (a code of ``rules.report_not_open``), or None."""
    config = current_app.config
    progress = report_for(enrolment, "progress", create=False)
    return rules.report_not_open(
        kind, today or today_tokyo(), enrolment.cohort.dates(),
        progress is not None and bool(progress.versions),
        progress_on_cohort_date=config["PROGRESS_REPORT_ON_COHORT_DATE"],
        final_after_progress=config["FINAL_REPORT_AFTER_PROGRESS"])


def _check_writable(enrolment: Enrolment, report: PracticeReport) -> None:
    if report.kind != "goal" and not goal_submitted(enrolment):
        raise PracticeError("goal_first")
    closed = not_open_reason(enrolment, report.kind)
    if closed:
        raise PracticeError(closed)
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
    # One conditional UPDATE decides among submissions racing each other (a double click,
    # six tabs): only the first finds the report still open; the others see it submitted.
    won = rowcount(db.session.execute(
        update(PracticeReport)
        .where(PracticeReport.id == report.id,
               PracticeReport.status.in_((ReportStatus.DRAFT, ReportStatus.RETURNED)))
        .values(status=ReportStatus.SUBMITTED, submitted_at=now)
        .execution_options(synchronize_session=False)))
    if won != 1:
        db.session.refresh(report)
        raise PracticeError("already_submitted")
    db.session.refresh(report)
    report.values = clean
    number = len(report.versions) + 1
    report.versions.append(ReportVersion(number=number, values=clean, submitted_at=now))
    db.session.flush()
    user = db.session.get_one(User, enrolment.user_id)
    verb = vocab.SET_GOAL if kind == "goal" else vocab.SUBMITTED
    xapi.record(user, verb, _activity(form.id, form.title, kind),
                result={"completion": True, "extensions": {vocab.EXT_VERSION.iri: number}},
                context=where.of(enrolment, parent=[_practice_stage()]), timestamp=now)
    return report


#: the forms' names in English, for the activity definitions (the titles are Japanese)
ENGLISH_TITLES = {"goal": "Goal sheet", "progress": "Progress report", "final": "Final report",
                  "reflection": "Daily reflection"}


def _practice_stage() -> dict:
    return xapi.activity(xapi.activity_iri("stages", programme.STAGE[0]), vocab.TYPE_STAGE,
                         *programme.STAGE[1:])


def _activity(form_id: str, title: str, kind: str) -> dict:
    return xapi.activity(xapi.activity_iri(programme.FORMS, form_id),
                         vocab.TYPE_GOAL if kind == "goal" else vocab.TYPE_REPORT, title,
                         ENGLISH_TITLES.get(kind, form_id))


def review(reviewer: User, report: PracticeReport, decision: ReportStatus, comment: str,
           new_due_on: date | None = None, due_reason: str = "") -> ReportReview:
    """Accept a submitted report or return it for revision by *new_due_on*; tell the trainee.

    A return sets a new due date, so it needs a reason, kept in the review's audit record.
    """
    if report.status != ReportStatus.SUBMITTED:
        raise PracticeError("not_submitted")
    #: the revision's due date, set when the report is returned
    revision_due = new_due_on if decision == ReportStatus.RETURNED else None
    if decision == ReportStatus.RETURNED and (revision_due is None
                                              or revision_due < today_tokyo()):
        raise PracticeError("due_required")
    if decision == ReportStatus.RETURNED and not due_reason.strip():
        raise PracticeError("due_reason_required")
    if decision not in (ReportStatus.RETURNED, ReportStatus.ACCEPTED):
        raise PracticeError("bad_decision")
    entry = ReportReview(report=report, version_number=len(report.versions),
                         reviewer_id=reviewer.id, decision=decision, comment=comment.strip(),
                         new_due_on=revision_due)
    db.session.add(entry)
    report.status = decision
    if decision == ReportStatus.RETURNED:
        report.revision_due_on = revision_due
    else:
        report.accepted_at = utcnow()
    db.session.flush()
    enrolment = db.session.get_one(Enrolment, report.enrolment_id)
    trainee = db.session.get_one(User, report.user_id)
    form = report_forms()[report.kind]
    # The reviewer decided, so the reviewer is the actor; the trainee and the enrolment's
    # registration say whose report it was.
    result: dict = {"success": decision == ReportStatus.ACCEPTED}
    if revision_due is not None:
        result["extensions"] = {vocab.EXT_REVISION_DUE.iri: revision_due.isoformat()}
    xapi.record(reviewer, vocab.RETURNED if decision == ReportStatus.RETURNED else vocab.ACCEPTED,
                _activity(form.id, form.title, report.kind), result=result,
                context=where.of(enrolment, parent=[_practice_stage()], trainee=trainee))
    # one record per decision; a return carries its new due date and the reason for it
    details: dict[str, Any] = {
        "kind": report.kind,
        "decision": "returned" if decision == ReportStatus.RETURNED else "accepted",
        "new_due_on": revision_due.isoformat() if revision_due else None,
        "comment": entry.comment}
    if revision_due is not None:
        details["reason"] = due_reason.strip()
    audit.record(reviewer, "practice.review", report, details)
    _notify_review(trainee, form.title, entry)
    return entry


def _notify_review(trainee: User, title: str, entry: ReportReview) -> None:
    link = external_url("practice.overview")
    if entry.decision == ReportStatus.ACCEPTED:
        notify(trainee, "report_accepted", link=link, title=title, comment=entry.comment)
    else:
        notify(trainee, "report_returned", link=link, title=title, comment=entry.comment,
               due=entry.new_due_on)


def save_reflection(enrolment: Enrolment, entry_date: date, values: dict[str, Any],
                    today: date | None = None) -> Reflection:
    """Write or edit one day's reflection, within the form's editing window."""
    today = today or today_tokyo()
    form = report_forms()["reflection"]
    if not goal_submitted(enrolment):
        raise PracticeError("goal_first")
    if entry_date < enrolment.cohort.practice_start:
        raise PracticeError("not_editable")
    if not rules.reflection_editable(entry_date, today, form.editable_days or 0):
        raise PracticeError("not_editable")
    clean = {f.id: values.get(f.id) for f in form.fields}
    errors = rules.validate_values(form, clean, final=True)
    if errors:
        raise PracticeError("invalid", errors)
    found = db.session.execute(db.select(Reflection).filter_by(
        enrolment_id=enrolment.id, entry_date=entry_date)).scalar_one_or_none()
    new = found is None
    row = found if found is not None else Reflection(
        enrolment_id=enrolment.id, user_id=enrolment.user_id, entry_date=entry_date)
    if new:
        db.session.add(row)
    row.values, row.updated_at = clean, utcnow()
    db.session.flush()
    if new:
        xapi.record(db.session.get_one(User, enrolment.user_id), vocab.REFLECTED, xapi.activity(
            xapi.activity_iri(programme.FORMS, "reflections", entry_date.isoformat()),
            vocab.TYPE_REFLECTION, f"{form.title} {entry_date.isoformat()}",
            f"Daily reflection {entry_date.isoformat()}"),
            context=where.of(enrolment, parent=[_practice_stage()]))
    return row


def reflections(enrolment: Enrolment) -> list[Reflection]:
    return list(db.session.execute(db.select(Reflection).filter_by(
        enrolment_id=enrolment.id).order_by(Reflection.entry_date.desc())).scalars())


def practice_complete(enrolment: Enrolment) -> bool:
    """Whether the enrolment's practice is complete (the one rule:
    :func:`lms.practice.programme.completed_enrolments`)."""
    return enrolment.id in programme.completed_enrolments([enrolment.id])


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


def attach(enrolment: Enrolment, kind: str, field_id: str, filename: str,
           stream: IO[bytes] | bytes, folder: Path) -> dict[str, Any]:
    """Store an uploaded attachment for a report field (replacing an earlier one).

    The content must be one of the field's types (its leading bytes, not its name); the
    file it replaces is deleted once this is committed, the new one if it is rolled back.
    """
    report = report_for(enrolment, kind)
    _check_writable(enrolment, report)
    form = report_forms()[kind]
    field = next((f for f in form.fields if f.id == field_id and f.type == "file"), None)
    if field is None:
        raise PracticeError("invalid")
    name = Path(filename).name.strip() or "attachment"
    limit = int(field.max_size_mb * 1024 * 1024) if field.max_size_mb is not None \
        else current_app.config["MAX_CONTENT_LENGTH"]
    try:
        upload = uploads.check_upload(stream, field.accept, limit, filename=name)
    except uploads.UploadRefused as exc:
        raise PracticeError("invalid", {field_id: "file_too_large" if exc.code == "too_large"
                                        else "bad_file_type"}) from exc
    meta = {"name": name, "size": upload.size}
    errors = rules.validate_values(form, {field_id: meta}, final=False)
    if errors:
        raise PracticeError("invalid", errors)
    target = folder / str(report.id)
    target.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}.{upload.kind}"
    try:
        write_atomically(target / stored, upload.data)
    except StorageFull as exc:
        raise PracticeError("storage") from exc
    uploads.delete_after_rollback(db.session(), target / stored)
    previous = report.values.get(field_id)
    if isinstance(previous, dict) and previous.get("stored"):
        uploads.delete_after_commit(db.session(), folder / previous["stored"])
    meta["stored"] = f"{report.id}/{stored}"
    report.values = {**report.values, field_id: meta}
    report.draft_saved_at = utcnow()
    db.session.flush()
    return meta
