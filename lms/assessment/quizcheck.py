"""Reading and checking quiz files: every problem is reported as ``file:line: message``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lms.assessment.quizfile import (
    ALL_TYPE_KEYS,
    ID_PATTERN,
    OPTIONAL,
    QUESTION_KEYS,
    QUIZ_KEYS,
    REVIEW_SHOW,
    REVIEW_WHEN,
    SCORINGS,
    TYPE_KEYS,
    TYPES,
    Draw,
    Option,
    Pool,
    Question,
    QuizFile,
    ReviewPolicy,
    _draw_total,
)
from lms.authoring.filecheck import YamlFileCheck
from lms.authoring.problems import Problem, is_int, show_value
from lms.content.loader import GROUPS
from lms.progression import registry
from lms.progression.registry import QuizKind


def load_quizzes(root: Path, kinds: Mapping[str, QuizKind] | None = None
                 ) -> tuple[list[QuizFile], list[Problem]]:
    """Return the valid quizzes in ``root/quizzes/*.yaml`` (by file name) and every problem.

    A quiz's ``kind`` is one of *kinds*, by default those the programme's features register.

    Quiz ids and question ids must be unique across all files: the later file gets the
    problem, naming where the id was first seen. Problems are sorted by file, then line.
    """
    root = Path(root)
    folder = root / "quizzes"
    if not folder.is_dir():
        return [], [Problem("quizzes", 0, f"no quizzes folder in {root}")]
    kinds = registry.quiz_kinds() if kinds is None else kinds
    quizzes: list[QuizFile] = []
    problems = [Problem(f.relative_to(root).as_posix(), 0, "quiz files must end in .yaml")
                for f in sorted(folder.glob("*.yml"))]
    first_quiz: dict[str, str] = {}
    first_question: dict[str, str] = {}
    for file in sorted(folder.glob("*.yaml")):
        rel = file.relative_to(root).as_posix()
        check = _QuizCheck(rel, file.read_bytes(), kinds)
        quiz = check.run()
        if quiz is not None and quiz.id is not None:
            if quiz.id in first_quiz:
                check.fail(("id",), f"duplicate quiz id '{quiz.id}' "
                                    f"(first in {first_quiz[quiz.id]})")
            else:
                first_quiz[quiz.id] = rel
        for question_id, at in check.question_ids:
            if question_id in first_question:
                check.fail(at, f"duplicate question id '{question_id}' "
                               f"(first in {first_question[question_id]})")
            else:
                first_question[question_id] = f"{rel}:{check.lines.line_of(at)}"
        problems.extend(check.problems)
        if quiz is not None and not check.problems:
            quizzes.append(quiz)
    problems.sort(key=lambda problem: (problem.path, problem.line))
    return quizzes, problems




def _number(value: float) -> str:
    return f"{value:g}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"




#: a test of a value and how its message names what the value must be
Rule = tuple[Callable[[Any], bool], str]
TEXT: Rule = (lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty string")
STRING: Rule = (lambda v: isinstance(v, str), "a string")
BOOL: Rule = (lambda v: isinstance(v, bool), "true or false")
MAPPING: Rule = (lambda v: isinstance(v, dict) and bool(v), "a mapping")
LIST: Rule = (lambda v: isinstance(v, list) and bool(v), "a non-empty list")
POSITIVE_INT: Rule = (lambda v: is_int(v) and v > 0, "a positive integer")
POSITIVE_INT_OR_NULL: Rule = (lambda v: v is None or is_int(v) and v > 0,
                              "a positive integer or null")
MINUTES: Rule = (lambda v: is_int(v) and v >= 0, "an integer, 0 or more")
POSITIVE_NUMBER: Rule = (lambda v: (is_int(v) or isinstance(v, float)) and v > 0,
                         "a positive number")


def _one_of(*values: str) -> Rule:
    return (lambda v: isinstance(v, str) and v in values), f"one of {', '.join(values)}"


class _QuizCheck(YamlFileCheck):
    """The checks of one quiz file; collects problems instead of stopping at the first."""

    document = "a quiz file"

    def __init__(self, rel: str, raw: bytes, kinds: Mapping[str, QuizKind]) -> None:
        super().__init__(rel, raw)
        #: the kinds of test the programme knows, by name
        self.kinds = kinds
        #: every question id in the file and where, for the check across files
        self.question_ids: list[tuple[str, tuple[Any, ...]]] = []

    def first_time(self, seen: dict[Any, int], value: Any, at: tuple[Any, ...], what: str) -> bool:
        """Remember the line of *value*; report a repeat of it as *what*, naming that line."""
        if value in seen:
            self.fail(at, f"{what} (first at line {seen[value]})")
            return False
        seen[value] = self.lines.line_of(at)
        return True

    def mapping(self, entry: Any, at: tuple[Any, ...], what: str) -> bool:
        if not isinstance(entry, dict):
            self.fail(at, f"{what} must be a mapping, not {show_value(entry)}")
        return isinstance(entry, dict)

    def keys(self, data: dict, at: tuple[Any, ...], allowed: tuple[str, ...]) -> None:
        self.check_keys(data, at, allowed, OPTIONAL)

    def ident(self, data: dict, at: tuple[Any, ...], what: str) -> str | None:
        value = self.get(data, at, "id", STRING)
        if value is not None and not ID_PATTERN.fullmatch(value):
            self.fail((*at, "id"), f"{what} '{value}' does not match {ID_PATTERN.pattern}")
            return None
        return value

    def run(self) -> QuizFile | None:
        """Check the file; return the quiz it describes (valid only if no problems)."""
        data = self.read()
        return None if data is None else self.quiz(data)

    def quiz(self, data: dict) -> QuizFile:
        self.keys(data, (), QUIZ_KEYS)
        #: read before the questions, which inherit it
        self.author = self.get(data, (), "author", TEXT, "")
        kind = self.get(data, (), "kind", _one_of(*self.kinds))
        spec = self.kinds.get(kind) if kind is not None else None
        group = data.get("group")
        if "group" in data and group not in GROUPS:
            self.fail(("group",), f"unknown group {show_value(group)} "
                                  f"(expected one of {', '.join(GROUPS)})")
        if spec is not None and spec.subject_group and "group" not in data:
            self.fail((), "missing key 'group' (a group quiz names its subject group)")
        elif spec is not None and not spec.subject_group and "group" in data:
            self.fail(("group",), f"'group' is only for group quizzes, not {kind}")
        before = len(self.problems)
        pools, sizes = self.pools(data)
        draws = self.draws(data, sizes)
        percent, points = self.pass_mark(data)
        if spec is not None and spec.reviewed:  # §6(2): the committee reviews items, never
            # their author
            for pi, pool in enumerate(pools):
                for qi, question in enumerate(pool.questions):
                    if not question.author:
                        self.fail(("pools", pi, "questions", qi),
                                  f"question '{question.id}' needs an author (the question's "
                                  f"or the file's 'author')")
        if points is not None and len(self.problems) == before:
            best = _draw_total(draws, pools, best=True)
            if points > best:
                self.fail(("pass_mark", "points"),
                          f"pass mark of {_number(points)} points can never be reached: "
                          f"the best draw gives {_number(best)}")
        review = self.get(data, (), "review", MAPPING, {})
        if review:
            self.keys(review, ("review",), ("show", "when"))
        return QuizFile(
            # a missing or malformed id is a problem already reported: "" stands in for it
            id=self.ident(data, (), "id") or "", title=self.get(data, (), "title", TEXT), kind=kind,
            group=group if spec is not None and spec.subject_group else None,
            description=self.get(data, (), "description", STRING, ""),
            pass_percent=None if percent is None else float(percent),
            pass_points=None if points is None else float(points),
            attempts=self.get(data, (), "attempts", POSITIVE_INT_OR_NULL),
            cooldown_minutes=self.get(data, (), "cooldown_minutes", MINUTES),
            time_limit_minutes=self.get(data, (), "time_limit_minutes", POSITIVE_INT_OR_NULL),
            shuffle_questions=self.get(data, (), "shuffle_questions", BOOL),
            shuffle_options=self.get(data, (), "shuffle_options", BOOL),
            review=ReviewPolicy(self.get(review, ("review",), "show", _one_of(*REVIEW_SHOW)),
                                self.get(review, ("review",), "when", _one_of(*REVIEW_WHEN))),
            draw=draws, pools=pools, path=self.rel,
            content_hash=hashlib.sha256(self.raw).hexdigest(), author=self.author)

    def pass_mark(self, data: dict) -> tuple[float | None, float | None]:
        mark = self.get(data, (), "pass_mark", (MAPPING[0], "a mapping of percent or points"))
        if mark is None:
            return None, None
        at = ("pass_mark",)
        self.keys(mark, at, ("percent", "points"))
        if ("percent" in mark) == ("points" in mark):
            self.fail(at, "pass_mark needs exactly one of 'percent' or 'points'")
        percent = self.get(mark, at, "percent", POSITIVE_NUMBER)
        if percent is not None and percent > 100:
            self.fail((*at, "percent"), f"pass mark of {_number(percent)} % can never be "
                                        f"reached: an attempt scores at most 100 %")
        return percent, self.get(mark, at, "points", POSITIVE_NUMBER)

    def pools(self, data: dict) -> tuple[tuple[Pool, ...], dict[str, int]]:
        pools: list[Pool] = []
        sizes: dict[str, int] = {}
        first: dict[Any, int] = {}
        for i, entry in enumerate(self.get(data, (), "pools", LIST, [])):
            at = ("pools", i)
            if not self.mapping(entry, at, "a pool"):
                continue
            self.keys(entry, at, ("id", "questions"))
            pool_id = self.ident(entry, at, "pool id")
            listed = self.get(entry, at, "questions", LIST, [])
            questions = [self.question(item, (*at, "questions", j))
                         for j, item in enumerate(listed)]
            if pool_id is not None and self.first_time(first, pool_id, (*at, "id"),
                                                       f"duplicate pool id '{pool_id}'"):
                sizes[pool_id] = len(listed)
            pools.append(Pool(pool_id or "", tuple(q for q in questions if q is not None)))
        return tuple(pools), sizes

    def draws(self, data: dict, sizes: dict[str, int]) -> tuple[Draw, ...]:
        draws: list[Draw] = []
        first: dict[Any, int] = {}
        for i, entry in enumerate(self.get(data, (), "draw", LIST, [])):
            at = ("draw", i)
            if not self.mapping(entry, at, "a draw"):
                continue
            self.keys(entry, at, ("pool", "count"))
            pool, count = self.get(entry, at, "pool", STRING), self.get(entry, at, "count",
                                                                         POSITIVE_INT)
            if pool is None or not self.first_time(first, pool, (*at, "pool"),
                                                   f"pool '{pool}' is drawn twice"):
                pass
            elif pool not in sizes:
                self.fail((*at, "pool"), f"draw names unknown pool '{pool}'")
            elif count is not None and count > sizes[pool]:
                self.fail((*at, "count"), f"pool '{pool}' has {_plural(sizes[pool], 'question')}"
                                          f" but the draw takes {count}")
            draws.append(Draw(pool, count))
        return tuple(draws)

    def question(self, item: Any, at: tuple[Any, ...]) -> Question | None:
        if not self.mapping(item, at, "a question"):
            return None
        kind = self.get(item, at, "type", _one_of(*TYPES))
        own = TYPE_KEYS.get(kind, ())
        if "approved" in item:
            self.fail((*at, "approved"), "'approved' is no longer set in quiz files: the "
                                         "committee approves each item version in the LMS")
        self.keys({k: v for k, v in item.items() if k not in ALL_TYPE_KEYS and k != "approved"},
                  at, QUESTION_KEYS)
        for key in ALL_TYPE_KEYS:
            if key in item and kind is not None and key not in own:
                self.fail((*at, key), f"'{key}' does not belong in a {kind} question")
            elif key not in item and key in own and key not in OPTIONAL:
                self.fail(at, f"missing required key '{key}'")
        question_id = self.ident(item, at, "question id")
        if question_id is not None:
            self.question_ids.append((question_id, (*at, "id")))
        default_scoring = "partial" if kind == "multiple" else "all_or_nothing"
        return Question(
            id=question_id or "", type=kind, prompt=self.get(item, at, "prompt", TEXT),
            points=float(self.get(item, at, "points", POSITIVE_NUMBER, 1)),
            explanation=self.get(item, at, "explanation", STRING, ""),
            author=self.get(item, at, "author", TEXT, "") or self.author,
            options=self.options(item, at, kind) if "options" in own else (),
            scoring=self.get(item, at, "scoring", _one_of(*SCORINGS), default_scoring)
            if "scoring" in own else default_scoring,
            answer=self.get(item, at, "answer", BOOL) if "answer" in own else None,
            accepted=self.texts(item, at, "accepted", "accepted answer") if "accepted" in own
            else (),
            items=self.items(item, at) if "items" in own else ())

    def options(self, item: dict, at: tuple[Any, ...], kind: str) -> tuple[Option, ...]:
        listed = self.get(item, at, "options", LIST, [])
        options: list[Option] = []
        first: dict[Any, int] = {}
        for i, entry in enumerate(listed):
            where = (*at, "options", i)
            if not self.mapping(entry, where, "an option"):
                continue
            self.keys(entry, where, ("id", "text", "correct"))
            option_id = self.get(entry, where, "id", TEXT)
            if option_id is not None:
                self.first_time(first, option_id, (*where, "id"),
                                f"duplicate option id '{option_id}'")
            options.append(Option(option_id, self.get(entry, where, "text", TEXT),
                                  self.get(entry, where, "correct", BOOL, False)))
        right = sum(option.correct for option in options)
        if len(listed) == 1:
            self.fail((*at, "options"), f"a {kind} question needs at least 2 options, not 1")
        elif kind == "single" and listed and right != 1:
            self.fail((*at, "options"), f"a single question needs exactly 1 correct option, "
                                        f"not {right}")
        elif kind == "multiple" and listed and right == 0:
            self.fail((*at, "options"), "a multiple question needs at least 1 correct option")
        elif kind == "multiple" and listed and right == len(listed):
            self.fail((*at, "options"), "every option is correct: a multiple question needs "
                                        "at least 1 incorrect option")
        return tuple(options)

    def texts(self, item: dict, at: tuple[Any, ...], key: str, what: str) -> tuple[str, ...]:
        listed = self.get(item, at, key, LIST, [])
        for i, value in enumerate(listed):
            if not TEXT[0](value):
                self.fail((*at, key, i), f"{what} {i + 1} must be a non-empty string, "
                                         f"not {show_value(value)}")
        return tuple(listed)

    def items(self, item: dict, at: tuple[Any, ...]) -> tuple[str, ...]:
        listed = self.texts(item, at, "items", "item")
        if len(listed) == 1:
            self.fail((*at, "items"), "an ordering question needs at least 2 items, not 1")
        first: dict[Any, int] = {}
        for i, value in enumerate(listed):
            if isinstance(value, str):
                self.first_time(first, value, (*at, "items", i), f"item '{value}' is listed twice")
        return listed
