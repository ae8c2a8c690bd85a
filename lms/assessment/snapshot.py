"""Quiz files to JSON and back, so that a stored quiz or drawn question can be graded later."""

from __future__ import annotations

import dataclasses
from typing import Any

from lms.assessment.quizfile import Draw, Option, Pool, Question, QuizFile, ReviewPolicy


def to_json(value) -> Any:
    """Return a JSON-ready copy of a quiz dataclass (tuples become lists)."""
    return _lists(dataclasses.asdict(value))


def _lists(value):
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


def question_from_json(data: dict[str, Any]) -> Question:
    fields = dict(data)
    fields.pop("approved", None)  # snapshots from before approval moved to the committee
    fields["options"] = tuple(Option(**o) for o in data.get("options", ()))
    for name in ("accepted", "items"):
        fields[name] = tuple(data.get(name, ()))
    return Question(**fields)


def quiz_from_json(data: dict[str, Any]) -> QuizFile:
    fields = dict(data)
    fields["review"] = ReviewPolicy(**data["review"])
    fields["draw"] = tuple(Draw(**d) for d in data["draw"])
    fields["pools"] = tuple(
        Pool(id=p["id"], questions=tuple(question_from_json(q) for q in p["questions"]))
        for p in data["pools"])
    return QuizFile(**fields)
