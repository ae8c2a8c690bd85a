"""Instructors review practice reports; administrators grant extensions and reinstate."""

from __future__ import annotations

import os
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.security import safe_join

from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.practice import deadlines, review, services
from lms.practice.forms_cache import report_forms
from lms.practice.models import PracticeReport, ReportStatus
from lms.practice.queue import review_queue
from lms.security import Role, roles_required
from lms.timeutil import today_tokyo

bp = Blueprint("practice_staff", __name__, url_prefix="/staff/practice")

REVIEW_ERRORS = {
    "not_submitted": lambda: _("Only a submitted report can be reviewed."),
    "due_required": lambda: _("Give a new due date (today or later) when returning a report."),
    "bad_decision": lambda: _("Choose accept or return."),
    "due_reason_required": lambda: _("Give the reason for the new due date when returning a "
                                     "report."),
}


@bp.route("/")
@roles_required(Role.INSTRUCTOR, Role.ADMIN)
def queue():
    found = review_queue(request.args.get("cohort", type=int),
                         request.args.get("status", "submitted"),
                         max(1, request.args.get("page", 1, type=int)))
    return render_template("practice/staff_queue.html", queue=found, forms=report_forms())


@bp.route("/reports/<int:report_id>", methods=["GET", "POST"])
@roles_required(Role.INSTRUCTOR, Role.ADMIN)
def report(report_id: int):
    row = db.session.get(PracticeReport, report_id) or abort(404)
    if request.method == "POST":
        decision = request.form.get("decision")
        due = request.form.get("new_due_on") or None
        try:
            services.review(current_user, row, ReportStatus(decision) if decision in
                            ("accepted", "returned") else ReportStatus.DRAFT,
                            request.form.get("comment", ""),
                            date.fromisoformat(due) if due else None,
                            request.form.get("due_reason", ""))
        except (services.PracticeError, ValueError) as exc:
            db.session.rollback()
            code = getattr(exc, "code", "due_required")
            flash(REVIEW_ERRORS.get(code, REVIEW_ERRORS["bad_decision"])(), "error")
        else:
            db.session.commit()
            flash(_("Review saved; the trainee has been notified by e-mail."), "success")
            return redirect(url_for("practice_staff.queue",
                                    cohort=review.enrolment_of(row).cohort_id))
    enrolment = review.enrolment_of(row)
    return render_template("practice/staff_report.html", report=row, enrolment=enrolment,
                           trainee=review.trainee_of(row),
                           form=report_forms()[row.kind],
                           due=services.due_on(enrolment, row.kind, row))


@bp.route("/enrolments/<int:enrolment_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def enrolment(enrolment_id: int):
    row = db.session.get(Enrolment, enrolment_id) or abort(404)
    if request.method == "POST":
        reason = request.form.get("reason", "")
        action = request.form.get("action")
        try:
            if action == "reinstate":
                deadlines.reinstate(current_user, row, reason, {
                    kind: date.fromisoformat(request.form[f"due_{kind}"])
                    for kind in deadlines.WATCHED if request.form.get(f"due_{kind}")})
            elif action == "withdraw":
                if not deadlines.withdraw(row, reason, actor=current_user):
                    raise services.PracticeError("not_active")
            else:
                services.grant_extension(current_user, row, request.form.get("kind", ""),
                                         date.fromisoformat(request.form.get("until", "")),
                                         reason)
        except (services.PracticeError, ValueError, KeyError) as exc:
            db.session.rollback()
            code = getattr(exc, "code", None)
            if code == "reinstate_needs_dates":
                flash(_("Give a new due date (today or later) for every overdue report, or "
                        "the next nightly run withdraws the trainee again."), "error")
            elif action == "withdraw":
                flash(_("Give the reason for the withdrawal; the trainee reads it."), "error")
            else:
                flash(_("Give a report, a date and a reason."), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
        return redirect(url_for("practice_staff.enrolment", enrolment_id=row.id))
    overdue = deadlines.overdue_kinds(row, today_tokyo()) if row.status == "withdrawn" else []
    return render_template("practice/staff_enrolment.html", enrolment=row, dues=review.dues(row),
                           overdue=overdue, watched=deadlines.WATCHED)


@bp.route("/reports/<int:report_id>/files/<field_id>")
@roles_required(Role.TRAINEE, Role.INSTRUCTOR, Role.ADMIN)
def attachment(report_id: int, field_id: str):
    """Download an attachment: its trainee, instructors and administrators only."""
    row = db.session.get(PracticeReport, report_id) or abort(404)
    staff = current_user.has_any_role({Role.INSTRUCTOR, Role.ADMIN})
    if not staff and row.user_id != current_user.id:
        abort(404)
    meta = row.values.get(field_id)
    if not isinstance(meta, dict) or "stored" not in meta:
        abort(404)
    path = safe_join(current_app.config["UPLOAD_DIR"], meta["stored"])
    if path is None or not os.path.isfile(path):
        abort(404)
    return send_file(path, as_attachment=True, download_name=meta["name"])
