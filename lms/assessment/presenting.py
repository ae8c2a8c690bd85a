"""What of a question the trainee may see, and turning their input into a stored response.

The answer key stays on the server: a question is shown as prompt, option texts and the
shuffled order only; ordering items are referred to by their shown position, never by their
index in the key (which would give the answer away).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lms.assessment.models import AttemptItem


@dataclass(frozen=True)
class ShownQuestion:
    question_id: str
    type: str
    prompt: str
    points: float
    #: single/multiple: [(option id, text)]; ordering: [(shown position, text)]
    choices: list[tuple[Any, str]]
    #: the saved response in the trainee's terms (option ids, shown positions, text, bool)
    saved: Any
    correct: bool | None = None
    awarded: float | None = None
    key: Any = None
    explanation: str = ""


def for_trainee(item: AttemptItem, review: str | None = None) -> ShownQuestion:
    q = item.question
    if q["type"] in ("single", "multiple"):
        texts = {o["id"]: o["text"] for o in q["options"]}
        choices = [(oid, texts[oid]) for oid in item.presentation]
        saved = item.response
    elif q["type"] == "ordering":
        choices = [(pos, q["items"][idx]) for pos, idx in enumerate(item.presentation)]
        saved = _to_positions(item)
    else:
        choices, saved = [], item.response
    shown = ShownQuestion(item.question_id, q["type"], q["prompt"], q["points"], choices, saved)
    if review in ("which_wrong", "correct_answers"):
        shown = ShownQuestion(**{**shown.__dict__, "correct": item.correct,
                                 "awarded": item.awarded})
    if review == "correct_answers":
        shown = ShownQuestion(**{**shown.__dict__, "key": _key(q),
                                 "explanation": q.get("explanation", "")})
    return shown


def _to_positions(item: AttemptItem):
    if not isinstance(item.response, list):
        return None
    where = {idx: pos for pos, idx in enumerate(item.presentation)}
    return [where[i] for i in item.response if i in where]


def _key(q: dict) -> Any:
    if q["type"] == "single" or q["type"] == "multiple":
        return [o["text"] for o in q["options"] if o.get("correct")]
    if q["type"] == "true_false":
        return q["answer"]
    if q["type"] == "short_text":
        return q["accepted"][0]
    return list(q["items"])


def from_trainee(item: AttemptItem, raw: Any) -> Any:
    """Turn what the browser sent into a stored response; nonsense becomes None."""
    kind = item.question["type"]
    if kind == "single":
        return raw if isinstance(raw, str) and raw in item.presentation else None
    if kind == "multiple":
        if not isinstance(raw, list):
            return None
        return sorted({r for r in raw if isinstance(r, str) and r in item.presentation})
    if kind == "true_false":
        return raw if isinstance(raw, bool) else None
    if kind == "short_text":
        return raw[:500] if isinstance(raw, str) else None
    if kind == "ordering":
        n = len(item.presentation)
        if not isinstance(raw, list) or sorted(raw) != list(range(n)):
            return None
        return [item.presentation[pos] for pos in raw]
    return None


def review_level(policy, passed: bool) -> str:
    """What the result page may show: ``score_only``, ``which_wrong`` or ``correct_answers``."""
    if policy.when == "never" or (policy.when == "after_pass" and not passed):
        return "score_only"
    return policy.show


def reviewed(item: AttemptItem, show: str) -> ShownQuestion:
    return for_trainee(item, review=show)
