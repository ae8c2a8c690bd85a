"""Applying: open cohorts (public), sign-up with a verified address, the draft and evidence."""

from __future__ import annotations

import os
import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user
from werkzeug.security import safe_join

from lms.applications import messages, programme, services
from lms.applications.evidence import EvidenceError
from lms.applications.forms import SignUpForm
from lms.applications.models import Application, EvidenceFile
from lms.auth import tokens
from lms.auth.forms import SetPasswordForm
from lms.auth.services import set_password
from lms.cohorts.models import Cohort
from lms.cohorts.services import active_count
from lms.extensions import db
from lms.security import Role, login_required, public
from lms.timeutil import today_tokyo

bp = Blueprint("applications", __name__, url_prefix="/apply")
bp.record_once(lambda state: programme.register())  # its part of the programme

_FILE_KEY = re.compile(r"^(period|qual)-(\d+)-file$")


@bp.app_template_global("application_status")
def application_status(status: str) -> str:
    return messages.status_label(status)


@bp.route("/")
@public
def open_cohorts():
    today = today_tokyo()
    cohorts = services.open_cohorts(today)
    return render_template("applications/open_cohorts.html", cohorts=cohorts, today=today,
                           window_open=services.window_open, active_count=active_count)


@bp.route("/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@public
def cohort(cohort_id: int):
    """A cohort's dates and window; a visitor signs up here, a logged-in person starts."""
    row = db.session.get(Cohort, cohort_id) or abort(404)
    today = today_tokyo()
    form = SignUpForm()
    if request.method == "POST" and current_user.is_authenticated:
        return _start(row)
    if form.validate_on_submit():
        if not services.window_open(row, today):
            flash(messages.error_message("window_closed"), "error")
        else:
            services.sign_up(form.email.data, form.name.data, row)
            db.session.commit()
            return render_template("applications/check_mail.html", cohort=row,
                                   email=form.email.data)
    return render_template("applications/cohort.html", cohort=row, form=form,
                           open=services.window_open(row, today), today=today)


def _start(cohort: Cohort):
    try:
        application = services.application_for(current_user, cohort, today_tokyo())
    except services.ApplicationError as exc:
        flash(messages.error_message(exc.code), "error")
        return redirect(url_for("applications.cohort", cohort_id=cohort.id))
    db.session.commit()
    return redirect(url_for("applications.edit", application_id=application.id))


@bp.route("/verify/<token>", methods=["GET", "POST"])
@public
def verify(token: str):
    """The sign-up link: the address is verified; the person chooses a password and starts."""
    try:
        user = tokens.read_token(token, tokens.SIGNUP)
    except tokens.TokenError as exc:
        msg = (_("This link has expired. Sign up again to receive a new one.") if exc.expired
               else _("This link is invalid or has already been used. If you set your password, "
                      "log in."))
        return render_template("auth/link_error.html", message=msg, purpose="signup"), 410
    form = SetPasswordForm()
    form._email = user.email
    cohort = db.session.get(Cohort, request.args.get("cohort", type=int) or 0)
    if form.validate_on_submit():
        set_password(user, form.password.data)
        db.session.commit()
        session.clear()
        login_user(user)
        session["locale"] = user.locale
        flash(_("Your e-mail address is confirmed and your password is set."), "success")
        if cohort is not None:
            return _start(cohort)
        return redirect(url_for("applications.mine"))
    return render_template("applications/verify.html", form=form, user=user, cohort=cohort)


@bp.route("/mine")
@login_required
def mine():
    rows = db.session.execute(db.select(Application).filter_by(user_id=current_user.id)
                              .order_by(Application.id.desc())).scalars().all()
    return render_template("applications/mine.html", applications=rows,
                           cohorts=services.open_cohorts(today_tokyo()),
                           no_role=not current_user.roles)


def _own(application_id: int) -> Application:
    row = db.session.get(Application, application_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    return row


def _render(application: Application, errors: dict[str, str] | None = None, typed=None):
    today = today_tokyo()
    return render_template(
        "applications/edit.html", application=application, errors=errors or {},
        typed=typed or {}, editable=services.editable(application, today),
        prefectures=[(p, p) for p in services.PREFECTURES], post_desks=messages.post_desk_labels(),
        period_desks=messages.period_desk_labels(),
        qualification_names=[(q, q) for q in services.QUALIFICATION_NAMES],
        max_mb=current_app.config["EVIDENCE_MAX_MB"])


def _attach_files(application: Application, today) -> dict[str, str]:
    """Attach every file sent with the form; return the refusals (input name → message)."""
    refused: dict[str, str] = {}
    for key, upload in request.files.items():
        match = _FILE_KEY.match(key)
        if not match or not upload or not upload.filename:
            continue
        try:
            services.attach(application, match[1], int(match[2]), upload.filename,
                            upload.read(), today)
        except EvidenceError as exc:
            refused[key] = messages.error_message(exc.code, **exc.params)
        except services.ApplicationError as exc:
            refused[key] = messages.error_message(exc.code)
    return refused


@bp.route("/<int:application_id>", methods=["GET", "POST"])
@login_required
def edit(application_id: int):
    application = _own(application_id)
    if request.method == "GET":
        return _render(application)
    today = today_tokyo()
    action = request.form.get("action", "save")
    try:
        problems = services.save_draft(application, request.form.to_dict(), today)
        errors = {**messages.field_messages(problems), **_attach_files(application, today)}
        if action in ("add_period", "add_qualification"):
            item = (services.add_period if action == "add_period"
                    else services.add_qualification)(application, today)
            db.session.commit()
            anchor = f"{'period' if action == 'add_period' else 'qual'}-{item.id}"
            return redirect(url_for("applications.edit", application_id=application.id,
                                    _anchor=anchor))
        if action.startswith("remove-"):
            kind, item_id = action.split("-", 2)[1:]
            services.remove_item(application, kind, int(item_id), today)
            db.session.commit()
            return redirect(url_for("applications.edit", application_id=application.id))
        if action == "submit" and not errors:
            services.submit(application, today)
            db.session.commit()
            flash(_("Your application was submitted. We sent you a confirmation by e-mail."),
                  "success")
            return redirect(url_for("applications.edit", application_id=application.id))
    except services.ApplicationError as exc:
        # the draft as saved above is kept; only the refused step is not done
        db.session.commit()
        flash(messages.error_message(exc.code), "error")
        return _render(application, messages.field_messages(exc.fields), request.form), 422
    except ValueError:
        abort(400)
    db.session.commit()
    if errors:
        flash(_("Your draft was saved, but some items were not accepted. See the messages "
                "below."), "error")
        return _render(application, errors, request.form), 422
    flash(_("Draft saved."), "success")
    return redirect(url_for("applications.edit", application_id=application.id))


@bp.route("/<int:application_id>/draft", methods=["POST"])
@login_required
def autosave(application_id: int):
    """Save the draft as typed (JSON) and answer with the rule's verdict on it."""
    application = _own(application_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        abort(400)
    try:
        problems = services.save_draft(application, data["values"], today_tokyo())
    except services.ApplicationError as exc:
        db.session.rollback()
        return jsonify(error=messages.error_message(exc.code)), 409
    db.session.commit()
    return jsonify(saved_at=application.saved_at.isoformat(),
                   problems=messages.field_messages(problems),
                   verdict={"eligible": application.eligible, "reasons": application.reasons,
                            "days_in_post": application.days_in_post,
                            "days_worked": application.days_worked})


@bp.route("/evidence/<int:file_id>")
@login_required
def evidence(file_id: int):
    """An evidence document: its applicant and administrators only (404 for anyone else)."""
    row = db.session.get(EvidenceFile, file_id) or abort(404)
    owner = db.session.get(Application, row.application_id)
    if not current_user.has_role(Role.ADMIN) and (owner is None
                                                  or owner.user_id != current_user.id):
        abort(404)
    path = safe_join(current_app.config["UPLOAD_DIR"], row.stored_path)
    if path is None or not os.path.isfile(path):
        abort(404)
    response = send_file(path, mimetype=row.content_type, download_name=row.original_name,
                         as_attachment=request.args.get("download") == "1")
    response.headers["Cache-Control"] = "private, no-store"
    return response
