"""Item analysis (項目分析) of finished attempts: difficulty, discrimination, distractors. Pure.

For each question, over the attempts that were given it:

* ``proportion_correct`` p: the share answered with full marks (the item's easiness);
* ``discrimination``: the point-biserial correlation between getting the item right (1/0)
  and the attempt's total percent, r = (M1 − M0) / s × √(p·q), where M1 and M0 are the mean
  totals of those who got it right and wrong, q = 1 − p and s the population standard
  deviation of all those totals. Near 0 or negative: the item does not tell strong trainees
  from weak ones and deserves a look;
* ``distractors``: how often each option was picked (a distractor nobody picks does no
  work), or for other types the most frequent answers, normalised.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean, pstdev
from typing import Any

from lms.assessment.grading import normalise_text
from lms.assessment.quizfile import Question
from lms.assessment.snapshot import question_from_json

#: how many distinct answers of a free-form question are listed
TOP_ANSWERS = 10


@dataclass(frozen=True)
class ItemStats:
    """The statistics of one question; None where there are too few answers to say."""

    question_id: str
    #: attempts that were given the question (answered or not)
    responses: int
    proportion_correct: float | None
    discrimination: float | None
    #: option id → times picked (options in file order), or answer → count (most frequent first)
    distractors: dict[str, int] = field(hash=False)


def item_analysis(attempts: Sequence[tuple[float, Mapping[str, tuple[bool, Any]]]],
                  questions: Mapping[str, Question]) -> list[ItemStats]:
    """Return the statistics of every question in *questions*, in that mapping's order.

    Each attempt is ``(total percent, {question id: (correct, response)})``. A question no
    attempt was given gets ``responses == 0`` and None figures.
    """
    stats = []
    for question_id, question in questions.items():
        given = [(total, bool(answers[question_id][0]), answers[question_id][1])
                 for total, answers in attempts if question_id in answers]
        totals = [total for total, _, _ in given]
        right = [correct for _, correct, _ in given]
        p = sum(right) / len(given) if given else None
        stats.append(ItemStats(
            question_id=question_id, responses=len(given), proportion_correct=p,
            discrimination=point_biserial(totals, right),
            distractors=_distractors(question, [response for _, _, response in given])))
    return stats


def of_attempts(attempts) -> tuple[list[ItemStats], dict[str, Question]]:
    """Return the item analysis of finished attempts (with their drawn items) and the
    questions it covers, by id."""
    questions: dict[str, Question] = {}
    data = []
    for attempt in attempts:
        answers = {}
        for item in attempt.items:
            questions.setdefault(item.question_id, question_from_json(item.question))
            answers[item.question_id] = (bool(item.correct), item.response)
        data.append((attempt.percent or 0.0, answers))
    return item_analysis(data, questions), questions


def point_biserial(totals: Sequence[float], right: Sequence[bool]) -> float | None:
    """Return r = (M1 − M0) / s × √(p·q), or None when it says nothing.

    None with fewer than 2 answers, when everyone or no one got the item right, or when
    every total is the same (s = 0).
    """
    if len(totals) < 2:
        return None
    p = sum(right) / len(right)
    s = pstdev(totals)
    if p in (0.0, 1.0) or s == 0:
        return None
    m1 = fmean(t for t, ok in zip(totals, right, strict=True) if ok)
    m0 = fmean(t for t, ok in zip(totals, right, strict=True) if not ok)
    return (m1 - m0) / s * math.sqrt(p * (1 - p))


def _distractors(question: Question, responses: list[Any]) -> dict[str, int]:
    if question.type in ("single", "multiple"):
        counts = {option.id: 0 for option in question.options}
        for response in responses:
            picks = response if isinstance(response, list | tuple) else [response]
            for pick in {p for p in picks if isinstance(p, str)}:  # a repeated pick counts once
                if pick in counts:
                    counts[pick] += 1
        return counts
    answers = Counter(key for key in map(_answer_key, responses) if key)
    ranked = sorted(answers.items(), key=lambda item: (-item[1], item[0]))
    return dict(ranked[:TOP_ANSWERS])


def _answer_key(response: Any) -> str:
    """Return a free-form response as the string it is counted under ("" for no answer)."""
    if isinstance(response, bool):
        return "true" if response else "false"
    if isinstance(response, str):
        return normalise_text(response)
    if isinstance(response, list | tuple):
        return ",".join(str(part) for part in response)
    return ""
