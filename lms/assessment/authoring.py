"""Quiz files as a kind of authored file: checked, compared, published and previewed through
:mod:`lms.authoring`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import render_template
from flask_babel import lazy_gettext as _l

from lms import authoring
from lms.assessment.models import Quiz
from lms.assessment.presenting import ShownQuestion
from lms.assessment.quizcheck import load_quizzes
from lms.assessment.quizfile import Question, QuizFile
from lms.assessment.sync import sync_quizzes
from lms.extensions import db


def check(root: Path) -> authoring.Checked:
    quizzes, problems = load_quizzes(root.parent)
    return authoring.Checked(quizzes, problems, frozenset(f"quiz:{q.id}" for q in quizzes))


def shown() -> dict[str, authoring.Shown]:
    # a deactivated quiz has no hash: publishing its file again reactivates it (a change)
    return {row.slug: authoring.Shown(row.title, row.content_hash if row.active else None,
                                      shown=row.active)
            for row in db.session.execute(db.select(Quiz)).unique().scalars()}


def publish(root: Path, actor=None) -> authoring.SyncResult:
    return sync_quizzes(root.parent, actor)


def _shown(question: Question) -> ShownQuestion:
    choices: list[tuple[Any, str]]
    if question.type in ("single", "multiple"):
        choices = [(o.id, o.text) for o in question.options]
    elif question.type == "ordering":
        choices = list(enumerate(question.items))
    else:
        choices = []
    return ShownQuestion(question.id, question.type, question.prompt, question.points,
                         choices, None)


def preview(quiz: QuizFile):
    pools = [(pool.id, [_shown(q) for q in pool.questions]) for pool in quiz.pools]
    return render_template("course/preview_quiz.html", quiz=quiz, pools=pools)


def register() -> None:
    authoring.register(authoring.FileKind(
        "quizzes", check, order=20, unit_kinds=("quiz",), label=_l("Test"), shown=shown,
        publish=publish, listing="quiz/preview_quizzes.html",
        previews=(authoring.Preview("/quizzes/<slug>", "quiz", preview),)))
