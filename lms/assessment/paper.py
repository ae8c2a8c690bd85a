"""Paper delivery of a test: an administrator enters the scores, graded by the same pass rule."""

from __future__ import annotations

import csv
import io
import secrets

from lms import audit
from lms.assessment import services
from lms.assessment.models import AttemptStatus, Quiz, QuizAttempt
from lms.auth.models import User
from lms.auth.services import find_user
from lms.extensions import db
from lms.timeutil import utcnow


class PaperError(ValueError):
    """A score line that cannot be recorded; ``line`` is 1-based for CSV input."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


def possible_points(quiz: Quiz) -> float:
    return services.rules_of(quiz).max_points_possible()


def record_score(actor: User, trainee: User, quiz: Quiz, score: float) -> QuizAttempt:
    """Record a paper attempt scored *score* out of the quiz's possible points."""
    spec = services.rules_of(quiz)
    possible = spec.max_points_possible()
    if not 0 <= score <= possible:
        raise PaperError(f"score {score} is outside 0–{possible:g}")
    percent = round(100 * score / possible, 2) if possible else 0.0
    passed = (score >= spec.pass_points) if spec.pass_points is not None \
        else percent + 1e-9 >= (spec.pass_percent or 0)
    now = utcnow()
    number = len(services.attempts_of(trainee, quiz)) + 1
    attempt = QuizAttempt(
        user_id=trainee.id, quiz_id=quiz.id, number=number, quiz_version=quiz.version,
        seed=secrets.randbelow(2**31), registration=services._registration(trainee),
        status=AttemptStatus.SUBMITTED, started_at=now, finished_at=now, score=float(score),
        possible=possible, percent=percent, passed=passed)
    db.session.add(attempt)
    db.session.flush()
    services._record_result(attempt, now, instructor=actor)
    audit.record(actor, "quiz.paper_score", attempt, {
        "user": trainee.id, "quiz": quiz.slug, "score": score, "passed": passed})
    return attempt


def parse_csv(text: str) -> list[tuple[int, str, float]]:
    """Read ``email,score`` lines (a header line is allowed); raise PaperError naming the line."""
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        if number == 1 and row[0].strip().lower() in ("email", "e-mail", "メールアドレス"):
            continue
        if len(row) < 2:
            raise PaperError("expected 'email,score'", number)
        try:
            rows.append((number, row[0].strip(), float(row[1])))
        except ValueError as exc:
            raise PaperError(f"score '{row[1]}' is not a number", number) from exc
    return rows


def record_csv(actor: User, quiz: Quiz, text: str) -> int:
    """Record every line of a CSV, all or nothing (the caller rolls back on PaperError)."""
    count = 0
    for number, email, score in parse_csv(text):
        trainee = find_user(email)
        if trainee is None:
            raise PaperError(f"no account for '{email}'", number)
        try:
            record_score(actor, trainee, quiz, score)
        except PaperError as exc:
            raise PaperError(str(exc), number) from exc
        count += 1
    return count
