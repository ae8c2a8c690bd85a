"""The quizzes' part in the programme: ``quiz:<slug>`` is that quiz passed."""

from __future__ import annotations

from collections.abc import Sequence

from flask import g
from flask_babel import gettext as _

from lms import progression
from lms.assessment.models import Quiz, QuizAttempt
from lms.extensions import db
from lms.progression import registry, versions
from lms.xapi import vocab

#: the point of 養成課程① the administrator's funnel counts: the comprehensive test passed
MILESTONES = ("quiz:comprehensive",)

#: the tests of 養成課程① (§5(2)ア注7): a small test per subject group, then the comprehensive
#: test, whose pass completes course ①
KINDS = (
    registry.QuizKind("group", "Group {group} test", subject_group=True, listed=True),
    registry.QuizKind("comprehensive", "Comprehensive test", listed=True,
                      stage=("course1", "養成課程①", "Course 1"), completes_stage=True),
)


def course1_tests() -> list[str]:
    """The slugs of course ①'s tests in programme order: those its milestone requires, and
    the milestone itself (the demo data passes them)."""
    return [unit.partition(":")[2] for unit in progression.requirements_of(MILESTONES[0])
            if unit.startswith("quiz:")]


def satisfied(users: Sequence) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {u.id: set() for u in users}
    for user_id, slug in db.session.execute(
            db.select(QuizAttempt.user_id, Quiz.slug).join(Quiz, QuizAttempt.quiz_id == Quiz.id)
            .where(QuizAttempt.user_id.in_(list(found)), QuizAttempt.passed.is_(True))
            .distinct()):
        found[user_id].add(f"quiz:{slug}")
    return found


def _titles() -> dict[str, str]:
    """Every quiz's title by slug, read once per request (a home page names many units)."""
    if "lms_quiz_titles" not in g:
        g.lms_quiz_titles = dict(db.session.execute(db.select(Quiz.slug, Quiz.title)).all())
    return g.lms_quiz_titles


def title(unit: str) -> str | None:
    return _titles().get(unit.partition(":")[2])


def hint(unit: str) -> str:
    slug = unit.partition(":")[2]
    return _("Pass “%(title)s” to unlock this.", title=_titles().get(slug, slug))


def proofs(unit: str) -> tuple[registry.Proof, ...]:
    """A quiz is shown passed by the LMS's statement that the trainee passed it."""
    return (registry.Proof(unit, f"quizzes/{unit.partition(':')[2]}", vocab.iri(vocab.PASSED.ref)),)


def register() -> None:
    registry.register(registry.Stage("quizzes", ("quiz:*",), satisfied, title=title, hint=hint,
                                     milestones=MILESTONES, proofs=proofs, quiz_kinds=KINDS))
    versions.track(QuizAttempt, QuizAttempt.user_id)
    versions.track(Quiz, versions.EVERYONE)
