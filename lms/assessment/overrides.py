"""Staff grant one trainee extra attempts or time on one test (functions flush; callers commit)."""

from __future__ import annotations

from lms import audit
from lms.assessment.models import Quiz, QuizOverride
from lms.assessment.services import QuizError
from lms.auth.models import User
from lms.auth.services import find_user
from lms.extensions import db


def grant_override(actor: User, user: User, quiz: Quiz, extra_attempts: int,
                   extra_minutes: int, reason: str) -> QuizOverride:
    """Give one trainee extra attempts or time on one quiz, with the reason in the audit log."""
    if extra_attempts < 0 or extra_minutes < 0 or not (extra_attempts or extra_minutes):
        raise QuizError("bad_override")
    override = QuizOverride(user_id=user.id, quiz_id=quiz.id, extra_attempts=extra_attempts,
                            extra_minutes=extra_minutes, reason=reason.strip(),
                            granted_by_id=actor.id)
    db.session.add(override)
    db.session.flush()
    audit.record(actor, "quiz.override", override, {
        "user": user.id, "quiz": quiz.slug, "extra_attempts": extra_attempts,
        "extra_minutes": extra_minutes, "reason": reason.strip()})
    return override


def grant_override_to(actor: User, email: str, quiz: Quiz, extra_attempts: int,
                      extra_minutes: int, reason: str) -> tuple[User, QuizOverride]:
    """Grant an override to the account with *email*; QuizError "no_account",
    "reason_required" or "bad_override" when refused."""
    user = find_user(email)
    if user is None:
        raise QuizError("no_account")
    if not reason.strip():
        raise QuizError("reason_required")
    return user, grant_override(actor, user, quiz, extra_attempts, extra_minutes, reason)
