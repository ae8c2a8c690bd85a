"""Taking a quiz: the start page, the attempt page with autosaved answers, the result."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.assessment import authoring, presenting, programme, services
from lms.assessment.models import AttemptStatus, Quiz, QuizAttempt
from lms.booking.services import certification_window
from lms.cohorts.services import current_enrolment
from lms.extensions import db
from lms.progression import lock_for, registry, require_unlocked
from lms.security import Role, roles_required
from lms.timeutil import utcnow

bp = Blueprint("quiz", __name__)
bp.record_once(lambda state: programme.register())  # its part of the programme
bp.record_once(lambda state: authoring.register())  # its kind of authored file

ERRORS = {
    "already_passed": lambda p: _("You have already passed this test."),
    "no_attempts_left": lambda p: _("You have used all your attempts for this test."),
    "cooldown": lambda p: _("You can start the next attempt after the waiting time."),
    "closed": lambda p: _("This attempt has ended; answers can no longer be changed."),
    "unknown_question": lambda p: _("This question is not part of the attempt."),
    "not_yours": lambda p: _("This attempt belongs to someone else."),
    "items_not_approved": lambda p: _("This test cannot start yet: the committee has not "
                                      "approved enough of its questions."),
}


def _quiz_or_404(slug: str) -> Quiz:
    quiz = services.quiz_by_slug(slug)
    if quiz is None or not quiz.active:
        abort(404)
    return quiz


def _own_attempt(attempt_id: int) -> QuizAttempt:
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


@bp.route("/quizzes/")
@roles_required(Role.TRAINEE)
def index():
    quizzes = db.session.execute(
        db.select(Quiz).where(Quiz.active.is_(True),
                              Quiz.kind.in_(registry.kinds_where(lambda k: k.listed)))
        .order_by(Quiz.kind.desc(), Quiz.slug)).unique().scalars().all()
    rows = [(q, lock_for(current_user, f"quiz:{q.slug}"), services.allowance(current_user, q))
            for q in quizzes]
    db.session.commit()  # overdue attempts were graded on the way
    return render_template("quiz/index.html", rows=rows)


@bp.route("/quizzes/<slug>")
@roles_required(Role.TRAINEE)
def start_page(slug: str):
    quiz = _quiz_or_404(slug)
    require_unlocked(current_user, f"quiz:{slug}")
    state = services.allowance(current_user, quiz)
    db.session.commit()
    return render_template("quiz/start.html", quiz=quiz, spec=services.rules_of(quiz),
                           state=state, attempts=services.attempts_of(current_user, quiz),
                           window=_window(quiz), in_session=_in_session(quiz), now=utcnow())


def _in_session(quiz: Quiz) -> bool:
    kind = registry.quiz_kind(quiz.kind)
    return kind is not None and kind.in_session


def _window(quiz: Quiz):
    """The certification test's window for this trainee, or None for other tests."""
    if not _in_session(quiz):
        return None
    enrolment = current_enrolment(current_user)
    return certification_window(current_user, enrolment.cohort_id) if enrolment else None


def _window_closed(quiz: Quiz):
    """The 403 page that says when the certification test opens and on what conditions, or
    None when the test may be started now (the window the administrator set for the session)."""
    if not _in_session(quiz):
        return None
    window = _window(quiz)
    now = utcnow()
    if window is not None and window[0] <= now < window[1]:
        return None
    return render_template("quiz/window_closed.html", quiz=quiz, window=window, now=now), 403


@bp.route("/quizzes/<slug>/start", methods=["POST"])
@roles_required(Role.TRAINEE)
def start(slug: str):
    quiz = _quiz_or_404(slug)
    require_unlocked(current_user, f"quiz:{slug}")
    closed = _window_closed(quiz)
    if closed is not None:
        return closed
    try:
        attempt = services.start_attempt(current_user, quiz)
    except services.QuizError as exc:
        db.session.commit()
        flash(ERRORS[exc.code](exc.params), "error")
        return redirect(url_for("quiz.start_page", slug=slug))
    db.session.commit()
    return redirect(url_for("quiz.take", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>")
@roles_required(Role.TRAINEE)
def take(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    require_unlocked(current_user, f"quiz:{attempt.quiz.slug}")
    services.expire_if_overdue(attempt)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        db.session.commit()  # graded on the way if its time had run out
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    remaining = None
    if attempt.deadline_at:
        remaining = max(0, int((attempt.deadline_at - utcnow()).total_seconds()))
    return render_template("quiz/take.html", attempt=attempt, remaining=remaining,
                           items=[presenting.for_trainee(i) for i in attempt.items])


@bp.route("/attempts/<int:attempt_id>/answers", methods=["POST"])
@roles_required(Role.TRAINEE)
def save_answer(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    require_unlocked(current_user, f"quiz:{attempt.quiz.slug}")
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("question_id"), str):
        abort(400)
    item = next((i for i in attempt.items if i.question_id == data["question_id"]), None)
    if item is None:
        abort(400)
    response = presenting.from_trainee(item, data.get("response"))
    try:
        saved = services.save_answer(current_user, attempt, item.question_id, response)
    except services.QuizError as exc:
        db.session.commit()  # an expired attempt was graded: keep that
        return jsonify(error=exc.code, message=ERRORS[exc.code](exc.params)), 409
    saved_at = saved.answered_at.isoformat() if saved.answered_at else None
    db.session.commit()
    return jsonify(saved_at=saved_at)


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@roles_required(Role.TRAINEE)
def submit(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    require_unlocked(current_user, f"quiz:{attempt.quiz.slug}")
    services.expire_if_overdue(attempt)
    services.finish(attempt)  # a second submission finds it finished and does nothing
    db.session.commit()
    return redirect(url_for("quiz.result", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/result")
@roles_required(Role.TRAINEE)
def result(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    services.expire_if_overdue(attempt)
    db.session.commit()
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return redirect(url_for("quiz.take", attempt_id=attempt.id))
    spec = services.rules_of(attempt.quiz)
    state = services.allowance(current_user, attempt.quiz)
    show = presenting.review_level(spec.review, state.passed)
    return render_template("quiz/result.html", attempt=attempt, state=state, show=show,
                           items=[presenting.reviewed(i, show) for i in attempt.items])
