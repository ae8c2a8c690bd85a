"""Grade answers to quiz questions and draw an attempt's questions. Pure functions, no Flask.

Scoring rules (採点基準), the same for every quiz:

* single, true_false, short_text: full points for the right answer, else 0.
* multiple, ``scoring: partial`` (the default): points × max(0, (right picks − wrong picks)
  / number of correct options). Ticking every option therefore earns nothing whenever there
  are at least as many wrong options as right ones.
* multiple, ``scoring: all_or_nothing``: full points only for exactly the correct set.
* ordering, ``scoring: all_or_nothing`` (the default): full points only for the exact order.
* ordering, ``scoring: partial``: points × (items in their correct position / items).
* short_text is compared after :func:`normalise_text` (width, case, spaces, final full stop).
* A missing, empty or wrongly shaped response scores 0 and counts as unanswered; garbage in
  a response (an unknown option id, say) is a wrong answer, never an error.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lms.assessment.quizfile import Question, QuizFile

#: float noise allowance when comparing a score with a pass mark
EPSILON = 1e-9
_TRAILING_PUNCTUATION = "。．.、,，"


def normalise_text(s: str) -> str:
    """Return *s* in the form short answers are compared in.

    NFKC (full-width Latin and digits become half-width, half-width katakana full-width),
    casefold, every space removed (ideographic spaces too), trailing 。．.、, stripped: so
    "ざいりゅう カード" matches "ざいりゅうカード" and "ＡＢＣ１" matches "abc1".
    """
    text = "".join(unicodedata.normalize("NFKC", s).casefold().split())
    return text.rstrip(_TRAILING_PUNCTUATION)


@dataclass(frozen=True)
class Outcome:
    """The grade of one answer; ``correct`` means full marks."""

    question_id: str
    awarded: float
    possible: float
    correct: bool
    answered: bool


@dataclass(frozen=True)
class Result:
    """The grade of one attempt; ``percent`` is rounded to 2 decimals."""

    score: float
    possible: float
    percent: float
    passed: bool
    outcomes: tuple[Outcome, ...]


def grade_question(q: Question, response: Any) -> Outcome:
    """Grade one response to *q* by the rules in this module's docstring; never raises.

    Responses: single, an option id; multiple, a list of option ids; true_false, a bool or
    "true"/"false"; short_text, a string; ordering, the trainee's order as a list of indexes
    into ``q.items``.
    """
    answered, fraction = _FRACTION[q.type](q, response) if q.type in _FRACTION else (False, 0.0)
    awarded = q.points * fraction
    return Outcome(q.id, awarded, q.points, fraction >= 1.0 - EPSILON, answered)


def _single(q: Question, response: Any) -> tuple[bool, float]:
    if not isinstance(response, str) or not response:
        return False, 0.0
    right = any(o.id == response and o.correct for o in q.options)
    return True, 1.0 if right else 0.0


def _multiple(q: Question, response: Any) -> tuple[bool, float]:
    if not isinstance(response, list | tuple) or not response:
        return False, 0.0
    # a pick that is not a string cannot be an option id: it is a wrong pick, not an error
    picks = {r if isinstance(r, str) else (None, repr(r)) for r in response}
    correct = {o.id for o in q.options if o.correct}
    if not correct:
        return True, 0.0
    if q.scoring == "all_or_nothing":
        return True, 1.0 if picks == correct else 0.0
    right, wrong = len(picks & correct), len(picks - correct)
    return True, max(0.0, (right - wrong) / len(correct))


def _true_false(q: Question, response: Any) -> tuple[bool, float]:
    if isinstance(response, str) and response.strip().lower() in ("true", "false"):
        response = response.strip().lower() == "true"
    if not isinstance(response, bool):
        return False, 0.0
    return True, 1.0 if response == q.answer else 0.0


def _short_text(q: Question, response: Any) -> tuple[bool, float]:
    if not isinstance(response, str) or not response.strip():
        return False, 0.0
    given = normalise_text(response)
    right = any(given == normalise_text(accepted) for accepted in q.accepted)
    return True, 1.0 if right else 0.0


def _ordering(q: Question, response: Any) -> tuple[bool, float]:
    if not isinstance(response, list | tuple) or not response:
        return False, 0.0
    count = len(q.items)
    # anything but a rearrangement of every item (repeats, gaps, strings) scores nothing
    if count == 0 or sorted(map(repr, response)) != sorted(map(repr, range(count))):
        return True, 0.0
    in_place = sum(1 for position, index in enumerate(response) if position == index)
    if q.scoring == "partial":
        return True, in_place / count
    return True, 1.0 if in_place == count else 0.0


_FRACTION = {"single": _single, "multiple": _multiple, "true_false": _true_false,
             "short_text": _short_text, "ordering": _ordering}


def grade_attempt(questions: Sequence[Question], responses: Mapping[str, Any],
                  pass_percent: float | None, pass_points: float | None) -> Result:
    """Grade every question of an attempt (outcomes in *questions*' order) and decide the pass.

    Passed when the score reaches *pass_points*, or the rounded percent (the figure shown)
    reaches *pass_percent*; an attempt worth 0 points never passes.
    """
    outcomes = tuple(grade_question(q, responses.get(q.id)) for q in questions)
    score = sum(o.awarded for o in outcomes)
    possible = sum(o.possible for o in outcomes)
    percent, passed = pass_decision(score, possible, pass_percent, pass_points)
    return Result(score, possible, percent, passed, outcomes)


def pass_decision(score: float, possible: float, pass_percent: float | None,
                  pass_points: float | None) -> tuple[float, bool]:
    """Return the rounded percent of *score* out of *possible* and whether it passes.

    The one pass rule for online and paper attempts: passed when the score reaches
    *pass_points*, or the rounded percent (the figure shown) reaches *pass_percent*; an
    attempt worth 0 points never passes.
    """
    percent = round(score / possible * 100, 2) if possible > 0 else 0.0
    passed = possible > 0 and (
        (pass_points is not None and score + EPSILON >= pass_points)
        or (pass_percent is not None and percent + EPSILON >= pass_percent))
    return percent, passed


def draw_questions(quiz: QuizFile, seed: int) -> list[tuple[str, list[str] | list[int]]]:
    """Return an attempt's questions with how each is presented; the same seed, the same draw.

    Each draw takes ``count`` questions of its pool (kept in file order unless the quiz
    shuffles questions). Each question comes with its option ids in the order shown
    (shuffled if the quiz shuffles options), or for ordering questions the item indexes in
    the order shown: always shuffled, and never already in the correct order. Other types
    get an empty list.
    """
    rng = random.Random(seed)
    pools = {pool.id: pool for pool in reversed(quiz.pools)}  # the first of a duplicate id
    drawn: list[Question] = []
    for draw in quiz.draw:
        questions = pools[draw.pool].questions if draw.pool in pools else ()
        picked = rng.sample(range(len(questions)), min(draw.count, len(questions)))
        drawn.extend(questions[i] for i in (picked if quiz.shuffle_questions else sorted(picked)))
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    return [(q.id, _presentation(q, quiz.shuffle_options, rng)) for q in drawn]


def _presentation(q: Question, shuffle_options: bool, rng: random.Random) -> list:
    if q.type in ("single", "multiple"):
        ids = [option.id for option in q.options]
        if shuffle_options:
            rng.shuffle(ids)
        return ids
    if q.type == "ordering":
        order = list(range(len(q.items)))
        if len(order) >= 2:
            # a shown order that is already right would give the answer away
            while order == sorted(order):
                rng.shuffle(order)
        return order
    return []
