"""Administrators set up cohorts and enrol trainees."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.services import find_user
from lms.cohorts import services
from lms.cohorts.forms import CohortForm, EnrolForm
from lms.cohorts.models import Cohort
from lms.cohorts.rules import DATE_FIELDS, WINDOW_FIELDS
from lms.cohorts.summaries import cohort_summaries
from lms.extensions import db
from lms.security import Role, roles_required
from lms.timeutil import today_tokyo

bp = Blueprint("cohorts", __name__, url_prefix="/admin/cohorts")


def _error_message(exc: services.CohortError, form: CohortForm | None = None) -> str:
    if exc.code == "date_order":
        if form is not None:
            for earlier, later in exc.params["pairs"]:
                getattr(form, later).errors.append(
                    _("Must not be before “%(field)s”.", field=getattr(form, earlier).label.text))
        return _("Some dates are out of order. Check the highlighted fields.")
    return {
        "capacity_below_enrolled": _("The capacity cannot be below the number of enrolled "
                                     "trainees."),
        "not_trainee": _("This account does not hold the trainee role."),
        "already_enrolled": _("This trainee is already enrolled in the cohort."),
        "full": _("The cohort is full (capacity %(n)s).", n=exc.params.get("capacity")),
    }[exc.code]


def _dates(form: CohortForm) -> dict:
    return {name: getattr(form, name).data for name in (*DATE_FIELDS, *WINDOW_FIELDS)}


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    return render_template("cohorts/index.html", cohorts=cohort_summaries(today_tokyo()))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new():
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(current_user, form.name.data, form.capacity.data,
                                            _dates(form))
        except services.CohortError as exc:
            flash(_error_message(exc, form), "error")
        else:
            db.session.commit()
            flash(_("Cohort created."), "success")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=None)


@bp.route("/<int:cohort_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def detail(cohort_id: int):
    cohort = db.session.get(Cohort, cohort_id) or abort(404)
    form = EnrolForm()
    if form.validate_on_submit():
        trainee = find_user(form.email.data)
        if trainee is None:
            form.email.errors.append(_("No account has this e-mail address."))
        else:
            try:
                services.enrol(current_user, cohort, trainee)
            except services.CohortError as exc:
                form.email.errors.append(_error_message(exc))
            else:
                db.session.commit()
                flash(_("%(name)s was enrolled.", name=trainee.name), "success")
                return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/detail.html", cohort=cohort, form=form,
                           active=services.active_count(cohort), date_fields=DATE_FIELDS)


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(cohort_id: int):
    cohort = db.session.get(Cohort, cohort_id) or abort(404)
    form = CohortForm(obj=cohort)
    if form.validate_on_submit():
        try:
            services.update_cohort(current_user, cohort, form.name.data, form.capacity.data,
                                   _dates(form))
        except services.CohortError as exc:
            flash(_error_message(exc, form), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=cohort)
