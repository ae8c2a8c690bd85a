"""Quiz results for instructors and administrators: per test, per trainee, item analysis."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.assessment import analysis, overrides, results, services
from lms.assessment.models import Quiz
from lms.extensions import db
from lms.security import Role, roles_required

bp = Blueprint("quiz_staff", __name__, url_prefix="/staff/quizzes")
STAFF = (Role.INSTRUCTOR, Role.ADMIN)

OVERRIDE_ERRORS = {
    "no_account": lambda: _("No account has this e-mail address."),
    "reason_required": lambda: _("Enter the reason for the override."),
    "bad_override": lambda: _("Give a positive number of extra attempts or minutes."),
}


@bp.route("/")
@roles_required(*STAFF)
def index():
    return render_template("quiz/staff_index.html", rows=results.quiz_summaries())


@bp.route("/<slug>", methods=["GET", "POST"])
@roles_required(*STAFF)
def detail(slug: str):
    quiz = services.quiz_by_slug(slug) or abort(404)
    if request.method == "POST":
        return _override(quiz)
    attempts = results.finished_attempts(quiz)
    stats, questions = analysis.of_attempts(attempts)
    return render_template("quiz/staff_detail.html", quiz=quiz, attempts=attempts, stats=stats,
                           questions=questions,
                           names=results.names_of(a.user_id for a in attempts))


def _count(name: str) -> int:
    """A typed number of extra attempts or minutes; not a number reads as -1 (refused)."""
    try:
        return int(request.form.get(name) or 0)
    except ValueError:
        return -1


def _override(quiz: Quiz):
    try:
        user, _granted = overrides.grant_override_to(
            current_user, request.form.get("email", ""), quiz, _count("extra_attempts"),
            _count("extra_minutes"), request.form.get("reason", ""))
    except services.QuizError as exc:
        db.session.rollback()
        flash(OVERRIDE_ERRORS.get(exc.code, OVERRIDE_ERRORS["bad_override"])(), "error")
    else:
        db.session.commit()
        flash(_("Override granted to %(name)s.", name=user.name), "success")
    return redirect(url_for("quiz_staff.detail", slug=quiz.slug))
