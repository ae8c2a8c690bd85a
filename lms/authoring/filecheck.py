"""The shared reading and checking of one authored YAML file (quizzes, report forms).

Subclasses add the checks of their own schema; problems are collected, never raised.
"""

from __future__ import annotations

from typing import Any

from lms.authoring.problems import LineMap, Problem, load_yaml_with_lines, show_value


class YamlFileCheck:
    """The checks of one YAML file; collects problems instead of stopping at the first."""

    #: how messages name the whole document, e.g. "a quiz file"
    document = "a file"

    def __init__(self, rel: str, raw: bytes) -> None:
        self.rel, self.raw = rel, raw
        self.problems: list[Problem] = []
        self.lines = LineMap({(): 1})

    def fail(self, at: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(self.rel, self.lines.line_of(at), message))

    def get(self, data: dict, at: tuple[Any, ...], key: str, rule: tuple, default: Any = None):
        """Return ``data[key]`` if it passes *rule*; else report it (unless absent), default."""
        if key not in data:
            return default
        test, expected = rule
        if test(data[key]):
            return data[key]
        self.fail((*at, key), f"'{key}' must be {expected}, not {show_value(data[key])}")
        return default

    def check_keys(self, data: dict, at: tuple[Any, ...], allowed: tuple[str, ...],
                   optional: tuple[str, ...]) -> None:
        """Report keys not in *allowed*, and keys of *allowed* missing unless *optional*."""
        for key in data:
            if key not in allowed:
                self.fail((*at, key), f"unknown key {show_value(key)}")
        for key in allowed:
            if key not in data and key not in optional:
                self.fail(at, f"missing required key '{key}'")

    def read(self) -> dict | None:
        """Decode and parse the file; return its top-level mapping, or None after a problem."""
        try:
            text = self.raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.problems.append(Problem(self.rel, self.raw[:error.start].count(b"\n") + 1,
                                         "not valid UTF-8"))
            return None
        data, line_map, problems = load_yaml_with_lines(text, self.rel)
        self.problems.extend(problems)
        if line_map is None:
            return None
        self.lines = line_map
        if not isinstance(data, dict) or not data:
            self.fail((), f"{self.document} must be a mapping of keys, not {show_value(data)}")
            return None
        return data
