"""Quiz results for instructors and administrators: per test, per trainee, item analysis."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.assessment import analysis, services
from lms.assessment.models import AttemptStatus, Quiz, QuizAttempt
from lms.auth.models import User
from lms.auth.services import find_user
from lms.extensions import db
from lms.security import Role, roles_required

bp = Blueprint("quiz_staff", __name__, url_prefix="/staff/quizzes")
STAFF = (Role.INSTRUCTOR, Role.ADMIN)


@bp.route("/")
@roles_required(*STAFF)
def index():
    rows = db.session.execute(
        db.select(Quiz, db.func.count(QuizAttempt.id),
                  db.func.sum(db.case((QuizAttempt.passed.is_(True), 1), else_=0)),
                  db.func.avg(QuizAttempt.percent))
        .outerjoin(QuizAttempt, (QuizAttempt.quiz_id == Quiz.id)
                   & (QuizAttempt.status != AttemptStatus.IN_PROGRESS))
        .group_by(Quiz.id).order_by(Quiz.kind, Quiz.slug)).unique().all()
    return render_template("quiz/staff_index.html", rows=rows)


def _finished_attempts(quiz: Quiz) -> list[QuizAttempt]:
    return list(db.session.execute(
        db.select(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id,
                                     QuizAttempt.status != AttemptStatus.IN_PROGRESS)
        .order_by(QuizAttempt.user_id, QuizAttempt.number)).unique().scalars())


@bp.route("/<slug>", methods=["GET", "POST"])
@roles_required(*STAFF)
def detail(slug: str):
    quiz = services.quiz_by_slug(slug) or abort(404)
    if request.method == "POST":
        return _override(quiz)
    attempts = _finished_attempts(quiz)
    stats, questions = analysis.of_attempts(attempts)
    names = dict(db.session.execute(
        db.select(User.id, User.name).where(User.id.in_({a.user_id for a in attempts}))).all())
    return render_template("quiz/staff_detail.html", quiz=quiz, attempts=attempts, stats=stats,
                           questions=questions, names=names)


def _override(quiz: Quiz):
    user = find_user(request.form.get("email", ""))
    try:
        extra_attempts = int(request.form.get("extra_attempts") or 0)
        extra_minutes = int(request.form.get("extra_minutes") or 0)
    except ValueError:
        extra_attempts = extra_minutes = -1
    reason = request.form.get("reason", "").strip()
    if user is None:
        flash(_("No account has this e-mail address."), "error")
    elif not reason:
        flash(_("Enter the reason for the override."), "error")
    else:
        try:
            services.grant_override(current_user, user, quiz, extra_attempts, extra_minutes,
                                    reason)
        except services.QuizError:
            flash(_("Give a positive number of extra attempts or minutes."), "error")
        else:
            db.session.commit()
            flash(_("Override granted to %(name)s.", name=user.name), "success")
    return redirect(url_for("quiz_staff.detail", slug=quiz.slug))
