"""Paper delivery of a test: an administrator enters the scores, graded by the same pass rule.

A paper score is a certification result, so it is held to the conditions of the online test
(the same functions decide): booked on the session, its requirements met (course ②
attendance complete, not withdrawn), an attempt left. One refused line refuses the whole
upload; every refused line is named.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from lms import audit
from lms.assessment import services
from lms.assessment.models import Quiz, QuizAttempt
from lms.auth.models import User
from lms.auth.services import find_user
from lms.booking.models import BookingStatus, CourseSession
from lms.booking.services import live_booking
from lms.errors import UserError
from lms.extensions import db
from lms.progression import lock_for
from lms.timeutil import utcnow


class PaperError(UserError, ValueError):
    """A score line that cannot be recorded; ``line`` is 1-based for CSV input."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


class PaperRefused(UserError, ValueError):
    """Nothing may be recorded: every refused line, in order (the caller rolls back)."""

    def __init__(self, problems: list[PaperError]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ScoreLine:
    """One score to record: the CSV line number (0 for the form), who, and the score."""

    line: int
    label: str
    trainee: User | None
    score: float


def possible_points(quiz: Quiz) -> float:
    return services.rules_of(quiz).max_points_possible()


def parse_score(raw: str) -> float:
    """A typed score; one that is not a number reads as -1, refused as outside the range
    with the trainee named."""
    try:
        return float(raw.strip())
    except ValueError:
        return -1.0


def latest_results(quiz: Quiz, trainees: Sequence[User]) -> dict[int, QuizAttempt]:
    """Each trainee's latest attempt at *quiz*, by user id (those with none are left out)."""
    return {a.user_id: a for a in db.session.execute(db.select(QuizAttempt).where(
        QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id.in_([u.id for u in trainees]))
        .order_by(QuizAttempt.id)).unique().scalars()}


def check_eligible(trainee: User, quiz: Quiz, session: CourseSession,
                   now: datetime | None = None) -> None:
    """Raise PaperError unless *trainee* may sit *quiz* on *session* now, as online."""
    booking = live_booking(trainee, session.cohort_id)
    if booking is None or booking.session_id != session.id or \
            booking.status != BookingStatus.BOOKED:
        raise PaperError(_("%(name)s is not booked on this session.", name=trainee.email))
    lock = lock_for(trainee, f"quiz:{quiz.slug}")
    if lock.withdrawn:
        raise PaperError(_("%(name)s has been treated as withdrawn.", name=trainee.email))
    if not lock.open:
        raise PaperError(_("%(name)s has not met the requirements of this test (course 2 "
                           "attendance complete).", name=trainee.email))
    state = services.allowance(trainee, quiz, now)
    if state.open_attempt is not None:
        raise PaperError(_("%(name)s has an online attempt in progress.", name=trainee.email))
    try:
        services.require_attempt_left(state)
    except services.QuizError as exc:
        raise PaperError({
            "already_passed": _("%(name)s has already passed this test.", name=trainee.email),
            "no_attempts_left": _("%(name)s has no attempts left.", name=trainee.email),
            "cooldown": _("%(name)s must wait before the next attempt.", name=trainee.email),
        }[exc.code]) from exc


def record_score(actor: User, trainee: User, quiz: Quiz, score: float,
                 session: CourseSession) -> QuizAttempt:
    """Record a paper attempt scored *score* out of the quiz's possible points."""
    possible = possible_points(quiz)
    if not 0 <= score <= possible:
        raise PaperError(_("%(name)s: the score %(score)s is outside 0–%(max)s.",
                           name=trainee.email, score=f"{score:g}", max=f"{possible:g}"))
    now = utcnow()
    check_eligible(trainee, quiz, session, now)
    attempt = services.record_scored_attempt(trainee, quiz, score, now, instructor=actor)
    audit.record(actor, "quiz.paper_score", attempt, {
        "user": trainee.id, "quiz": quiz.slug, "score": score, "passed": attempt.proposed,
        "session": session.id})
    return attempt


def record_lines(actor: User, quiz: Quiz, session: CourseSession,
                 lines: list[ScoreLine]) -> int:
    """Record every line, or raise PaperRefused naming each refused one (caller rolls back)."""
    problems = []
    for line in lines:
        try:
            if line.trainee is None:
                raise PaperError(_("No account has the address '%(email)s'.", email=line.label))
            record_score(actor, line.trainee, quiz, line.score, session)
        except PaperError as exc:
            problems.append(PaperError(str(exc), line.line))
    if problems:
        raise PaperRefused(problems)
    return len(lines)


def parse_csv(text: str) -> tuple[list[tuple[int, str, float]], list[PaperError]]:
    """Read ``email,score`` lines (a header line is allowed): the lines and the bad ones."""
    rows, problems = [], []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        if number == 1 and row[0].strip().lower() in ("email", "e-mail", "メールアドレス"):
            continue
        if len(row) < 2:
            problems.append(PaperError(_("Expected 'e-mail address,score'."), number))
            continue
        try:
            rows.append((number, row[0].strip(), float(row[1])))
        except ValueError:
            problems.append(PaperError(_("The score '%(score)s' is not a number.",
                                         score=row[1]), number))
    return rows, problems


def record_csv(actor: User, quiz: Quiz, session: CourseSession, text: str) -> int:
    """Record every line of a CSV, all or nothing; only trainees booked on *session*."""
    rows, problems = parse_csv(text)
    count = 0
    try:
        count = record_lines(actor, quiz, session, [
            ScoreLine(number, email, find_user(email), score) for number, email, score in rows])
    except PaperRefused as exc:
        problems += exc.problems
    if problems:
        raise PaperRefused(sorted(problems, key=lambda p: p.line))
    return count
