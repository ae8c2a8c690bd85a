"""What instructors and administrators read about test results (queries only)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lms.assessment.models import AttemptStatus, Quiz, QuizAttempt
from lms.auth.models import User
from lms.extensions import db


def quiz_summaries() -> list[Any]:
    """Per quiz: the quiz, finished attempts, passes and the mean percent (one query)."""
    return list(db.session.execute(
        db.select(Quiz, db.func.count(QuizAttempt.id),
                  db.func.sum(db.case((QuizAttempt.passed.is_(True), 1), else_=0)),
                  db.func.avg(QuizAttempt.percent))
        .outerjoin(QuizAttempt, (QuizAttempt.quiz_id == Quiz.id)
                   & (QuizAttempt.status != AttemptStatus.IN_PROGRESS))
        .group_by(Quiz.id).order_by(Quiz.kind, Quiz.slug)).unique().all())


def finished_attempts(quiz: Quiz) -> list[QuizAttempt]:
    """The quiz's finished attempts, by trainee and attempt number."""
    return list(db.session.execute(
        db.select(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id,
                                     QuizAttempt.status != AttemptStatus.IN_PROGRESS)
        .order_by(QuizAttempt.user_id, QuizAttempt.number)).unique().scalars())


def names_of(user_ids: Iterable[int]) -> dict[int, str]:
    """The names of the given accounts, by id."""
    return {uid: name for uid, name in db.session.execute(
        db.select(User.id, User.name).where(User.id.in_(set(user_ids))))}
