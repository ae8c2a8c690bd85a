"""Problems found in content files, and YAML parsing that knows the line of every value.

Shared by every loader of files in git (lecture modules, quizzes, report forms): a loader
never stops at the first mistake, it collects :class:`Problem` s that each name a file and a
line, so an author can fix them all in one go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

#: a path to a value inside a YAML document: mapping keys and 0-based list indexes
YamlPath = tuple[Any, ...]


@dataclass(frozen=True)
class Problem:
    """One mistake in a content file, at a 1-based line (0 when it is about no line)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class LineMap:
    """The 1-based file line of each key and list item of one parsed YAML document."""

    def __init__(self, lines: dict[YamlPath, int]) -> None:
        self._lines = lines

    def line_of(self, path: Sequence[Any] = ()) -> int:
        """Return the line of the value at *path*, or of its nearest ancestor that exists.

        ``()`` is the start of the document; ``("captions", "ja")`` the line of the ``ja``
        key under ``captions``; ``("objectives", 2)`` the line of the third objective.
        Falling back to the ancestor lets a loader report "missing key" at the mapping.
        """
        key = tuple(path)
        while key not in self._lines and key:
            key = key[:-1]
        return self._lines[key]


def yaml_error_problem(error: yaml.YAMLError, path: str, first_line: int) -> Problem:
    """Turn a PyYAML error into a Problem at the line where the mistake most likely is."""
    context = getattr(error, "context", None) or ""
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    # an unclosed quote, bracket or a key without ':' is noticed lines later; the context
    # mark points at where it started, which is the line the author has to fix
    starts_there = context.startswith(("while scanning", "while parsing a flow"))
    mark = (context_mark if starts_there else None) or problem_mark or context_mark
    line = mark.line + first_line if mark is not None else first_line
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    if context:
        reason = f"{reason} ({context})"
    # a constructor error is well-formed YAML that SafeLoader will not build (e.g. !!python)
    constructing = isinstance(error, yaml.constructor.ConstructorError)
    kind = "YAML error" if constructing else "YAML syntax error"
    return Problem(path, line, f"{kind}: {reason}")


def load_yaml_with_lines(
    text: str, path: str, first_line: int = 1
) -> tuple[Any, LineMap | None, list[Problem]]:
    """Parse one YAML document safely; return its data, the line of every value, and problems.

    *first_line* is the file line on which *text* starts (e.g. 2 for front matter after a
    ``---`` line), so every line reported is a line of the whole file. On a syntax error
    the data and line map are ``None`` and the single problem names the line. Duplicate
    mapping keys are problems too (PyYAML would silently keep the last one); the data is
    still returned so the caller can go on checking the rest.
    """
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.YAMLError as error:
            return None, None, [yaml_error_problem(error, path, first_line)]
        except ValueError as error:  # e.g. a timestamp such as 2026-13-01 that is no date
            return None, None, [Problem(path, first_line, f"YAML value error: {error}")]
        lines: dict[YamlPath, int] = {(): first_line}
        problems: list[Problem] = []
        if node is not None:
            lines[()] = node.start_mark.line + first_line
            _walk(loader, node, (), first_line, lines, problems, path, set())
        return data, LineMap(lines), problems
    finally:
        loader.dispose()


def _walk(
    loader: yaml.SafeLoader,
    node: Node,
    at: YamlPath,
    first_line: int,
    lines: dict[YamlPath, int],
    problems: list[Problem],
    path: str,
    active: set[int],
) -> None:
    # *active* holds the nodes on the current branch: an alias may point back up the tree
    if id(node) in active:
        return
    active = active | {id(node)}
    if isinstance(node, MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            # construct_document already refused unhashable keys, so every key here hashes
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + first_line
            if key in seen:  # PyYAML keeps the last value, so the line map does too
                problems.append(Problem(path, line, f"duplicate key '{key}'"))
            seen.add(key)
            lines[(*at, key)] = line
            _walk(loader, value_node, (*at, key), first_line, lines, problems, path, active)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*at, index)] = item.start_mark.line + first_line
            _walk(loader, item, (*at, index), first_line, lines, problems, path, active)



def show_value(value: Any) -> str:
    """Describe a YAML value the way an author wrote it, for 'must be X, not Y' messages."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'" if value.strip() else "an empty string"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | dict):
        kind = "list" if isinstance(value, list) else "mapping"
        return f"a {kind}" if value else f"an empty {kind}"
    return f"a {type(value).__name__}"


def is_int(value: Any) -> bool:
    """True for an integer that YAML did not write as true/false."""
    return isinstance(value, int) and not isinstance(value, bool)
