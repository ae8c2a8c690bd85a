"""Administrators review applications: per cohort with filters, one with its evidence, decide."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from lms.applications import messages, review
from lms.applications import office as _office  # noqa: F401  (export, programme sections)
from lms.applications.forms import AcceptForm, RejectForm, ReturnForm
from lms.applications.models import Application
from lms.applications.services import ApplicationError
from lms.cohorts.models import Cohort
from lms.cohorts.services import active_count
from lms.extensions import db
from lms.security import Role, roles_required
from lms.timeutil import today_tokyo

bp = Blueprint("applications_admin", __name__, url_prefix="/admin/applications")
bp.add_app_template_global(messages.filter_label, "application_filter")
bp.add_app_template_global(review.reason_label, "reject_reason")


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    cohorts = db.session.execute(db.select(Cohort).order_by(Cohort.training_start.desc())
                                 ).scalars().all()
    return render_template("applications/admin_index.html",
                           rows=[(c, review.counts(c)) for c in cohorts])


@bp.route("/cohorts/<int:cohort_id>")
@roles_required(Role.ADMIN)
def cohort(cohort_id: int):
    row = db.session.get(Cohort, cohort_id) or abort(404)
    which = request.args.get("filter", "undecided")
    if which not in review.FILTERS:
        which = "undecided"
    return render_template("applications/admin_cohort.html", cohort=row, which=which,
                           applications=review.applications(row, which),
                           counts=review.counts(row), filters=review.FILTERS,
                           active=active_count(row))


def _forms(application: Application):
    reject_form = RejectForm(prefix="reject")
    reject_form.reason.choices = [SelectChoice(c, review.reason_label(c))
                                  for c in review.REJECT_REASONS]
    return AcceptForm(prefix="accept"), reject_form, ReturnForm(prefix="return")


def _detail(application: Application, forms=None, status: int = 200):
    accept_form, reject_form, return_form = forms or _forms(application)
    files = [item.evidence for item in application.evidenced_items if item.evidence]
    selected = request.args.get("evidence", type=int)
    shown = next((f for f in files if f.id == selected), files[0] if files else None)
    return render_template(
        "applications/admin_detail.html", application=application, accept_form=accept_form,
        reject_form=reject_form, return_form=return_form, post_desks=messages.post_desk_labels(),
        period_desks=messages.period_desk_labels(), active=active_count(application.cohort),
        shown=shown), status


@bp.route("/<int:application_id>")
@roles_required(Role.ADMIN)
def detail(application_id: int):
    return _detail(db.session.get(Application, application_id) or abort(404))


@bp.route("/<int:application_id>/decide", methods=["POST"])
@roles_required(Role.ADMIN)
def decide(application_id: int):
    application = db.session.get(Application, application_id) or abort(404)
    forms = accept_form, reject_form, return_form = _forms(application)
    decision = request.form.get("decision")
    try:
        if decision == "accept" and accept_form.validate_on_submit():
            review.accept(current_user, application)
            done = _("Accepted: %(name)s is now a trainee of the cohort.",
                     name=application.full_name)
        elif decision == "reject" and reject_form.validate_on_submit():
            review.reject(current_user, application, reject_form.reason.data,
                          reject_form.note.data or "")
            done = _("The application was rejected and the applicant told.")
        elif decision == "return" and return_form.validate_on_submit():
            review.return_for_correction(current_user, application, return_form.note.data,
                                         return_form.due.data, today_tokyo())
            done = _("The application was returned for correction and the applicant told.")
        else:
            return _detail(application, forms, 422)
    except ApplicationError as exc:
        db.session.rollback()
        flash(messages.error_message(exc.code, **exc.params), "error")
        return _detail(application, forms, 409)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("applications_admin.detail", application_id=application.id))
