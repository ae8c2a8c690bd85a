"""Home pages: ``/`` sends each person to the home of their first role."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from lms.cohorts.services import current_enrolment
from lms.content import progress
from lms.home import services
from lms.progression import stage_path
from lms.security import Role, login_required, public, roles_required
from lms.timeutil import today_tokyo

bp = Blueprint("home", __name__)

HOME_BY_ROLE = [
    (Role.ADMIN, "admin.dashboard"),
    (Role.COMMITTEE, "home.committee"),
    (Role.INSTRUCTOR, "home.instructor"),
    (Role.TRAINEE, "home.trainee"),
]


@bp.route("/")
@login_required
def index():
    for role, endpoint in HOME_BY_ROLE:
        if current_user.has_role(role):
            return redirect(url_for(endpoint))
    return render_template("home/no_role.html")


@bp.route("/healthz")
@public
def healthz():
    """Bare liveness route: also the baseline of the home-page benchmark."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.route("/trainee/")
@roles_required(Role.TRAINEE)
def trainee():
    today = today_tokyo()
    groups = progress.course_progress(current_user)
    enrolled = current_enrolment(current_user) is not None
    return render_template("home/trainee.html", home=services.trainee_home(current_user, today),
                           today=today, groups=groups, lectures=progress.overall_percent(groups),
                           path=stage_path(current_user) if enrolled else [])


@bp.route("/instructor/")
@roles_required(Role.INSTRUCTOR)
def instructor():
    today = today_tokyo()
    return render_template("home/instructor.html", cohorts=services.cohort_summaries(today),
                           pending=services.pending_reviews(), days=services.sessions_on(today))


@bp.route("/committee/")
@roles_required(Role.COMMITTEE)
def committee():
    return render_template("home/committee.html",
                           cohorts=services.cohort_summaries(today_tokyo()))
