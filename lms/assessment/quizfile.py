"""Course ① quiz files (``quizzes/*.yaml``) as typed values; ``quizcheck`` reads and checks them.

``quizcheck.load_quizzes`` works like the lecture-module loader: every mistake in every file is
reported as ``file:line: message``, and a file with any mistake is left out. No Flask here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lms.authoring.problems import Problem

__all__ = ["Draw", "Option", "Pool", "Problem", "Question", "QuizFile", "ReviewPolicy"]

TYPES = ("single", "multiple", "true_false", "short_text", "ordering")
SCORINGS = ("partial", "all_or_nothing")
REVIEW_SHOW = ("score_only", "which_wrong", "correct_answers")
REVIEW_WHEN = ("after_submit", "after_pass", "never")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
QUIZ_KEYS = ("id", "title", "kind", "group", "description", "author", "pass_mark", "attempts",
             "cooldown_minutes", "time_limit_minutes", "shuffle_questions", "shuffle_options",
             "review", "draw", "pools")
QUESTION_KEYS = ("id", "type", "prompt", "points", "explanation", "author")
#: the keys each question type adds to QUESTION_KEYS
TYPE_KEYS = {"single": ("options",), "multiple": ("options", "scoring"),
             "true_false": ("answer",), "short_text": ("accepted",),
             "ordering": ("items", "scoring")}
ALL_TYPE_KEYS = ("options", "scoring", "answer", "accepted", "items")
OPTIONAL = ("group", "description", "author", "points", "explanation", "scoring", "correct",
            "percent")


@dataclass(frozen=True)
class Option:
    """One choice of a single or multiple question."""

    id: str
    text: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    """One question (設問) with its answer key; fields a type does not use keep their default."""

    id: str
    type: str
    prompt: str
    points: float = 1.0
    explanation: str = ""
    #: the e-mail address of the item's author (the question's own, else the file's); the
    #: committee approves items in the LMS (lms.assessment.itemreview), never its author
    author: str = ""
    options: tuple[Option, ...] = ()
    #: "partial" or "all_or_nothing"; types without partial credit are all_or_nothing
    scoring: str = "all_or_nothing"
    answer: bool | None = None
    accepted: tuple[str, ...] = ()
    #: ordering: the items in their correct order
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draw:
    """Take ``count`` questions at random from the pool ``pool``."""

    pool: str
    count: int


@dataclass(frozen=True)
class Pool:
    id: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class ReviewPolicy:
    """What a trainee sees of a graded attempt (``show``), and from when (``when``)."""

    show: str
    when: str


@dataclass(frozen=True)
class QuizFile:
    """One valid quiz (テスト) exactly as written in ``quizzes/<name>.yaml``."""

    id: str
    title: str
    kind: str
    #: subject group 科目群 A–E of a group quiz; None for every other kind
    group: str | None
    description: str
    #: exactly one of the two is set
    pass_percent: float | None
    pass_points: float | None
    #: None: unlimited
    attempts: int | None
    cooldown_minutes: int
    time_limit_minutes: int | None
    shuffle_questions: bool
    shuffle_options: bool
    review: ReviewPolicy
    draw: tuple[Draw, ...]
    pools: tuple[Pool, ...]
    #: relative to the root, e.g. ``quizzes/group-a.yaml``
    path: str
    #: sha256 hex of the whole file's bytes: a changed hash means a new version
    content_hash: str
    #: the default author of the file's questions (e-mail address)
    author: str = ""

    def question(self, question_id: str) -> Question:
        """Return the question with this id from any pool; raise KeyError if there is none."""
        for pool in self.pools:
            for question in pool.questions:
                if question.id == question_id:
                    return question
        raise KeyError(question_id)

    def max_points_possible(self) -> float:
        """Return the highest total any draw can give (each pool's most valuable questions)."""
        return _draw_total(self.draw, self.pools, best=True)

    def min_points_possible(self) -> float:
        """Return the lowest total any draw can give (each pool's least valuable questions)."""
        return _draw_total(self.draw, self.pools, best=False)


def _draw_total(draws: tuple[Draw, ...], pools: tuple[Pool, ...], best: bool) -> float:
    points = {p.id: sorted((q.points for q in p.questions), reverse=best) for p in pools}
    return float(sum(sum(points.get(d.pool, [])[:d.count]) for d in draws))
