"""Home pages: ``/`` sends each person to the home of their first role."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms import pagecache
from lms.cohorts.models import EnrolmentStatus
from lms.cohorts.services import current_enrolment
from lms.cohorts.summaries import cohort_summaries
from lms.extensions import db
from lms.home import page, services
from lms.practice import deadlines
from lms.practice.reviews import pending_reviews
from lms.progression import versions
from lms.security import Role, login_required, public, roles_required
from lms.timeutil import today_tokyo

bp = Blueprint("home", __name__)
bp.record_once(lambda state: page.track())  # what the trainee home reads besides the stages

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
    # No role yet: an applicant (or someone whose roles were taken away) sees their
    # applications and the cohorts open to them.
    return redirect(url_for("applications.mine"))


@bp.route("/livez")
@public
def livez():
    """Bare liveness route (the process answers): also the baseline of the home benchmark."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.route("/healthz")
@public
def healthz():
    """Readiness: 200 only if the database answers and accepts writes, else 503."""
    problem = services.database_problem()
    if problem:
        return f"database: {problem}", 503, {"Content-Type": "text/plain"}
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.route("/favicon.ico")
@public
def favicon():
    """Browsers and other clients ask for /favicon.ico whatever the page links."""
    return send_from_directory(current_app.static_folder or "static", "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=86400)


@bp.route("/trainee/")
@roles_required(Role.TRAINEE)
def trainee():
    today = today_tokyo()
    return pagecache.page("trainee_home", versions.version_key(current_user, today),
                          lambda **holes: render_template(
                              "home/trainee.html", body=page.body(current_user, today),
                              **holes))


@bp.route("/trainee/withdraw", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def withdraw():
    """The trainee's own withdrawal notice (辞退届): a page that says what it means, then a
    confirmed submission."""
    enrolment = current_enrolment(current_user)
    if enrolment is None or enrolment.status != EnrolmentStatus.ACTIVE:
        return redirect(url_for("home.trainee"))
    error = None
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            error = _("Tick the box to confirm that you withdraw.")
        else:
            reason = request.form.get("reason", "").strip()[:250]
            deadlines.withdraw(enrolment, "辞退届" + (f": {reason}" if reason else ""),
                               actor=current_user, voluntary=True)
            db.session.commit()
            flash(_("Your withdrawal notice was received. A confirmation was sent by e-mail."),
                  "success")
            return redirect(url_for("home.trainee"))
    return render_template("home/withdraw.html", enrolment=enrolment, error=error)


@bp.route("/instructor/")
@roles_required(Role.INSTRUCTOR)
def instructor():
    today = today_tokyo()
    return render_template("home/instructor.html", cohorts=cohort_summaries(today),
                           pending=pending_reviews(), days=services.sessions_on(today))


@bp.route("/committee/")
@roles_required(Role.COMMITTEE)
def committee():
    from lms.assessment.itemreview import reviewed_items
    from lms.certification.decisions import candidates

    return render_template("home/committee.html",
                           cohorts=cohort_summaries(today_tokyo()),
                           candidates=candidates(),
                           items=[i for i in reviewed_items() if i.state != "approved"])
