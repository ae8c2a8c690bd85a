"""Trainee pages of the practice stage: overview, goal and reports, reflections."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.cohorts.services import current_enrolment
from lms.extensions import db
from lms.practice import authoring, programme, rules, services
from lms.practice.forms_cache import report_forms
from lms.practice.messages import ERRORS, field_errors
from lms.progression import require_unlocked
from lms.security import Role, roles_required
from lms.templating import jst
from lms.timeutil import today_tokyo, utcnow

bp = Blueprint("practice", __name__, url_prefix="/practice")
bp.record_once(lambda state: programme.register())  # its part of the programme
bp.record_once(lambda state: authoring.register())  # its kind of authored file


def _enrolment():
    """The trainee's enrolment, once the practice stage is open to them (else 403)."""
    require_unlocked(current_user, programme.UNIT)
    enrolment = current_enrolment(current_user)
    if enrolment is None:
        abort(403, _("You are not enrolled in a cohort. The secretariat enrols you once your "
                     "application is approved."))
    return enrolment


def _form_values(form) -> dict[str, str | list[str]]:
    values: dict[str, str | list[str]] = {}
    for field in form.fields:
        if field.type == "multichoice":
            values[field.id] = request.form.getlist(field.id)
        elif field.id in request.form:
            values[field.id] = request.form[field.id]
    return values


def _not_open_message(enrolment, code: str | None) -> str | None:
    dates = enrolment.cohort.dates()
    if code == "stage_not_started":
        return _("Opens on %(date)s", date=jst(dates["practice_start"]))
    if code == "progress_not_open":
        return _("Opens on %(date)s", date=jst(dates["progress_report_opens"]))
    if code == "progress_first":
        return _("After the progress report")
    return ERRORS[code]() if code else None


@bp.route("/")
@roles_required(Role.TRAINEE)
def overview():
    enrolment = _enrolment()
    forms = report_forms()
    today = today_tokyo()
    rows = []
    for kind in services.REPORT_KINDS:
        report = services.report_for(enrolment, kind, create=False)
        closed = services.not_open_reason(enrolment, kind, today)
        rows.append((kind, forms[kind], report, services.due_on(enrolment, kind, report),
                     _not_open_message(enrolment, closed)))
    entries = services.reflections(enrolment)
    return render_template(
        "practice/overview.html", rows=rows, today=today, entries=entries,
        streak=rules.streak([e.entry_date for e in entries], today),
        goal_done=services.goal_submitted(enrolment), reflection_form=forms["reflection"],
        complete=services.practice_complete(enrolment))


@bp.route("/reports/<kind>", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def report(kind: str):
    if kind not in services.REPORT_KINDS:
        abort(404)
    enrolment = _enrolment()
    form = report_forms()[kind]
    row = services.report_for(enrolment, kind)
    errors: dict[str, str] = {}
    values = row.values
    if request.method == "POST":
        values = _form_values(form)
        action = request.form.get("action")
        try:
            if action == "submit":
                if request.form.get("confirm") != "yes":
                    raise services.PracticeError("confirm")
                services.submit(enrolment, kind, values)
                db.session.commit()
                return redirect(url_for("practice.receipt", kind=kind))
            services.save_draft(enrolment, kind, values)
            db.session.commit()
            if action == "preview":
                return render_template("practice/preview.html", form=form, values=values,
                                       kind=kind, report=row)
            flash(_("Draft saved."), "success")
            return redirect(url_for("practice.report", kind=kind))
        except services.PracticeError as exc:
            db.session.rollback()
            if action == "submit" and exc.code == "already_submitted" and row.versions:
                return redirect(url_for("practice.receipt", kind=kind))  # a repeated submit
            errors = field_errors(form, exc.fields)
            if exc.code == "confirm":  # the box, too, is a field the error summary names
                errors["confirm"] = ERRORS["confirm"]()
            flash(ERRORS[exc.code](), "error")
    db.session.commit()
    return render_template("practice/report.html", form=form, report=row, values=values,
                           errors=errors, kind=kind, due=services.due_on(enrolment, kind, row),
                           goal_done=services.goal_submitted(enrolment), server_now=utcnow(),
                           closed=_not_open_message(
                               enrolment, services.not_open_reason(enrolment, kind)))


@bp.route("/reports/<kind>/draft", methods=["POST"])
@roles_required(Role.TRAINEE)
def autosave(kind: str):
    if kind not in services.REPORT_KINDS:
        abort(404)
    enrolment = _enrolment()
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        abort(400)
    try:
        row = services.save_draft(enrolment, kind, data["values"])
    except services.PracticeError as exc:
        db.session.rollback()
        return jsonify(error=exc.code, fields=field_errors(report_forms()[kind], exc.fields)), 409
    db.session.commit()
    # The text the server now holds: the browser deletes its copy of a field only if it matches.
    typed = {f.id for f in report_forms()[kind].fields if f.type != "file"}
    saved_at = row.draft_saved_at  # set by every save
    return jsonify(saved_at=saved_at.isoformat() if saved_at else None,
                   values={k: v for k, v in row.values.items() if k in typed})


@bp.route("/reports/<kind>/receipt")
@roles_required(Role.TRAINEE)
def receipt(kind: str):
    enrolment = _enrolment()
    row = services.report_for(enrolment, kind, create=False)
    if row is None or not row.versions:
        abort(404)
    return render_template("practice/receipt.html", form=report_forms()[kind], report=row)


@bp.route("/reflections/<entry_date>", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def reflection(entry_date: str):
    enrolment = _enrolment()
    try:
        day = date.fromisoformat(entry_date)
    except ValueError:
        abort(404)
    form = report_forms()["reflection"]
    existing = next((e for e in services.reflections(enrolment) if e.entry_date == day), None)
    values = existing.values if existing else {}
    errors: dict[str, str] = {}
    editable = rules.reflection_editable(day, today_tokyo(), form.editable_days or 0)
    if request.method == "POST":
        values = _form_values(form)
        try:
            services.save_reflection(enrolment, day, values)
        except services.PracticeError as exc:
            db.session.rollback()
            errors = field_errors(form, exc.fields)
            flash(ERRORS[exc.code](), "error")
        else:
            db.session.commit()
            flash(_("Reflection saved."), "success")
            return redirect(url_for("practice.overview"))
    return render_template("practice/reflection.html", form=form, day=day, values=values,
                           errors=errors, editable=editable, existing=existing)


@bp.route("/reports/<kind>/files/<field_id>", methods=["POST"])
@roles_required(Role.TRAINEE)
def upload(kind: str, field_id: str):
    if kind not in services.REPORT_KINDS:
        abort(404)
    enrolment = _enrolment()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("practice.report", kind=kind))
    try:
        services.attach(enrolment, kind, field_id, upload.filename, upload.stream,
                        Path(current_app.config["UPLOAD_DIR"]))
    except services.PracticeError as exc:
        db.session.rollback()
        messages = field_errors(report_forms()[kind], exc.fields)
        flash(messages.get(field_id) or ERRORS.get(exc.code, ERRORS["invalid"])(), "error")
    else:
        db.session.commit()
        flash(_("The file was attached."), "success")
    return redirect(url_for("practice.report", kind=kind))
