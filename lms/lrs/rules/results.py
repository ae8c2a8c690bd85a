"""Results (Data §2.4.5): success, completion, response, duration and the score (pure)."""

from __future__ import annotations

from typing import Any

from lms.lrs.rules.primitives import DURATION, Invalid, Primitives, only_keys


class ResultRules(Primitives):
    """A statement's or SubStatement's result."""

    def result(self, value: Any, path: str) -> None:
        result = self.obj(value, path)
        only_keys(result, {"score", "success", "completion", "response", "duration",
                       "extensions"}, path)
        for key in ("success", "completion"):
            if key in result and not isinstance(result[key], bool):
                raise Invalid(f"{path}.{key}", "must be true or false")
        if "response" in result:
            self.string(result["response"], f"{path}.response")
        if "duration" in result and not DURATION.match(
                self.string(result["duration"], f"{path}.duration")):
            raise Invalid(f"{path}.duration", "must be an ISO 8601 duration")
        if "extensions" in result:
            self.extensions(result["extensions"], f"{path}.extensions")
        if "score" in result:
            self.score(result["score"], f"{path}.score")

    def score(self, value: Any, path: str) -> None:
        score = self.obj(value, path)
        only_keys(score, {"scaled", "raw", "min", "max"}, path)
        for key, number in score.items():
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise Invalid(f"{path}.{key}", "must be a number")
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            raise Invalid(f"{path}.scaled", "must be between -1 and 1")
        if "min" in score and "max" in score and score["min"] >= score["max"]:
            raise Invalid(f"{path}.max", "must be greater than min")
        if "raw" in score and ("min" in score and score["raw"] < score["min"]
                               or "max" in score and score["raw"] > score["max"]):
            raise Invalid(f"{path}.raw", "must lie between min and max")
