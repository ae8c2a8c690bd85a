"""Read the practice-stage report forms (``reports/*.yaml``) from git and check them strictly.

No Flask. ``load_report_forms`` works like the module and quiz loaders: every mistake in every
file is reported as ``file:line: message``, and a file with any mistake is left out. The
folder as a whole must hold exactly one form of each kind (goal, reflection, progress, final).

A field is required unless it says ``required: false``: a trainee who leaves a box empty is
the exception an author has to decide on, and the sample forms mark their only optional
field (参考資料（任意）) explicitly.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lms.authoring.filecheck import YamlFileCheck
from lms.authoring.problems import Problem, is_int, show_value
from lms.cohorts.rules import DATE_FIELDS

__all__ = ["Deadline", "Field", "Problem", "ReportForm", "load_report_forms"]

#: 課題設定シート, 日々の振り返り, 取組状況報告, 課題レポート
KINDS = ("goal", "reflection", "progress", "final")
TYPES = ("text", "choice", "multichoice", "date", "number", "file")
FORM_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
FIELD_ID = re.compile(r"^[a-z][a-z0-9_]*$")
EXTENSION = re.compile(r"^[a-z0-9]+$")
FORM_KEYS = ("id", "kind", "title", "description", "deadline", "editable_days", "fields")
FORM_OPTIONAL = ("description", "editable_days")
FIELD_KEYS = ("id", "type", "label", "help", "required")
FIELD_OPTIONAL = ("help", "required")
#: the keys each field type adds to FIELD_KEYS, and which of them must be there
TYPE_KEYS = {"text": ("multiline", "min_length", "max_length"),
             "choice": ("options",), "multichoice": ("options",), "date": (),
             "number": ("min", "max", "unit"), "file": ("accept", "max_size_mb")}
TYPE_REQUIRED = ("options", "accept", "max_size_mb")
ALL_TYPE_KEYS = ("multiline", "min_length", "max_length", "options", "min", "max", "unit",
                 "accept", "max_size_mb")


@dataclass(frozen=True)
class Field:
    """One question of a report form; keys a type does not use keep their default."""

    id: str
    type: str
    label: str
    help: str = ""
    #: a final submission needs an answer; drafts may leave it empty
    required: bool = True
    multiline: bool = False
    #: character limits counted by :func:`lms.practice.rules.count_chars`
    min_length: int | None = None
    max_length: int | None = None
    options: tuple[str, ...] = ()
    min: int | float | None = None
    max: int | float | None = None
    unit: str | None = None
    #: lowercase file extensions without the dot, e.g. ``("pdf", "docx")``
    accept: tuple[str, ...] = ()
    max_size_mb: int | float | None = None


@dataclass(frozen=True)
class Deadline:
    """Due on the cohort date called *date* (e.g. ``final_report_due``) plus *offset_days*."""

    date: str
    offset_days: int


@dataclass(frozen=True)
class ReportForm:
    """One valid report form (報告様式) exactly as written in ``reports/<id>.yaml``."""

    id: str
    kind: str
    title: str
    description: str
    deadline: Deadline
    #: reflection only: days after an entry's date on which it may still be written or edited
    editable_days: int | None
    fields: tuple[Field, ...]
    #: relative to the root, e.g. ``reports/goal.yaml``
    path: str
    #: sha256 hex of the whole file's bytes: a changed hash means a new version
    content_hash: str

    def field(self, field_id: str) -> Field:
        """Return the field with this id; raise KeyError if there is none."""
        for field in self.fields:
            if field.id == field_id:
                return field
        raise KeyError(field_id)


def load_report_forms(root: Path) -> tuple[list[ReportForm], list[Problem]]:
    """Return the valid forms in ``root/reports/*.yaml`` (by file name) and every problem.

    A form id or kind seen twice is a problem of the later file, naming the first; a kind
    no file has is a problem of the folder (``reports:0``). Problems are sorted by file, then
    line.
    """
    root = Path(root)
    folder = root / "reports"
    if not folder.is_dir():
        return [], [Problem("reports", 0, f"no reports folder in {root}")]
    forms: list[ReportForm] = []
    problems = [Problem(f.relative_to(root).as_posix(), 0, "report form files must end in .yaml")
                for f in sorted(folder.glob("*.yml"))]
    first_id: dict[str, str] = {}
    first_kind: dict[str, str] = {}
    for file in sorted(folder.glob("*.yaml")):
        rel = file.relative_to(root).as_posix()
        check = _FormCheck(rel, file.stem, file.read_bytes())
        form = check.run()
        for key, first, what in (("id", first_id, "form id"), ("kind", first_kind, "kind")):
            value = check.values.get(key)
            if value is not None and value in first:
                check.fail((key,), f"{what} '{value}' is used twice (first in {first[value]})")
            elif value is not None:
                first[value] = rel
        problems.extend(check.problems)
        if form is not None and not check.problems:
            forms.append(form)
    missing = [kind for kind in KINDS if kind not in first_kind]
    if missing:
        problems.append(Problem("reports", 0, f"no form of kind {', '.join(missing)} "
                                              f"(one of each is needed: {', '.join(KINDS)})"))
    problems.sort(key=lambda problem: (problem.path, problem.line))
    return forms, problems






def _is_number(value: Any) -> bool:
    return is_int(value) or isinstance(value, float) and math.isfinite(value)


def _one_of(values: tuple[str, ...]) -> tuple[Any, str]:
    return (lambda v: isinstance(v, str) and v in values), f"one of {', '.join(values)}"


#: a test of a value and how its message names what the value must be
TEXT = (lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty string")
STRING = (lambda v: isinstance(v, str), "a string")
BOOL = (lambda v: isinstance(v, bool), "true or false")
LIST = (lambda v: isinstance(v, list) and bool(v), "a non-empty list")
INT = (is_int, "an integer")
COUNT = (lambda v: is_int(v) and v >= 0, "an integer, 0 or more")
NUMBER = (_is_number, "a number")
POSITIVE = (lambda v: _is_number(v) and v > 0, "a positive number")
MAPPING = (lambda v: isinstance(v, dict) and bool(v), "a mapping of date and offset_days")


class _FormCheck(YamlFileCheck):
    """The checks of one form file; collects problems instead of stopping at the first."""

    document = "a report form file"

    def __init__(self, rel: str, stem: str, raw: bytes) -> None:
        super().__init__(rel, raw)
        self.stem = stem
        #: the form's id and kind when they passed their own checks, for the folder checks
        self.values: dict[str, str] = {}

    def run(self) -> ReportForm | None:
        """Check the file; return the form it describes (valid only if no problems)."""
        data = self.read()
        return None if data is None else self.form(data)

    def form(self, data: dict) -> ReportForm:
        self.check_keys(data, (), FORM_KEYS, FORM_OPTIONAL)
        form_id = self.get(data, (), "id", STRING)
        if form_id is not None and not FORM_ID.fullmatch(form_id):
            self.fail(("id",), f"id '{form_id}' does not match {FORM_ID.pattern}")
        elif form_id is not None and form_id != self.stem:
            self.fail(("id",), f"id '{form_id}' must be the file name '{self.stem}'")
        if form_id is not None:
            self.values["id"] = form_id
        kind = self.get(data, (), "kind", _one_of(KINDS))
        if kind is not None:
            self.values["kind"] = kind
        editable_days = self.get(data, (), "editable_days", COUNT)
        if kind == "reflection" and "editable_days" not in data:
            self.fail((), "missing key 'editable_days' (a reflection form needs it)")
        elif kind not in (None, "reflection") and "editable_days" in data:
            self.fail(("editable_days",), f"'editable_days' is only for reflection forms, "
                                          f"not {kind}")
        return ReportForm(
            id=form_id, kind=kind, title=self.get(data, (), "title", TEXT),
            description=self.get(data, (), "description", STRING, ""),
            deadline=self.deadline(data), editable_days=editable_days,
            fields=self.fields(data), path=self.rel,
            content_hash=hashlib.sha256(self.raw).hexdigest())

    def deadline(self, data: dict) -> Deadline:
        at = ("deadline",)
        value = self.get(data, (), "deadline", MAPPING, {})
        if value:
            self.check_keys(value, at, ("date", "offset_days"), ())
        name = self.get(value, at, "date", STRING)
        if name is not None and name not in DATE_FIELDS:
            self.fail((*at, "date"), f"unknown cohort date '{name}' "
                                     f"(expected one of {', '.join(DATE_FIELDS)})")
        return Deadline(name, self.get(value, at, "offset_days", INT))

    def fields(self, data: dict) -> tuple[Field, ...]:
        fields: list[Field] = []
        first: dict[Any, int] = {}
        for i, item in enumerate(self.get(data, (), "fields", LIST, [])):
            at = ("fields", i)
            if not isinstance(item, dict):
                self.fail(at, f"a field must be a mapping, not {show_value(item)}")
                continue
            field = self.field(item, at)
            if field.id is None:
                continue
            if field.id in first:
                self.fail((*at, "id"), f"duplicate field id '{field.id}' "
                                       f"(first at line {first[field.id]})")
            else:
                first[field.id] = self.lines.line_of((*at, "id"))
            fields.append(field)
        return tuple(fields)

    def field(self, item: dict, at: tuple[Any, ...]) -> Field:
        kind = self.get(item, at, "type", _one_of(TYPES))
        own = TYPE_KEYS.get(kind, ())
        self.check_keys({k: v for k, v in item.items() if k not in ALL_TYPE_KEYS}, at, FIELD_KEYS,
                  FIELD_OPTIONAL)
        for key in ALL_TYPE_KEYS:
            if key in item and kind is not None and key not in own:
                self.fail((*at, key), f"'{key}' does not belong in a {kind} field")
            elif key not in item and key in own and key in TYPE_REQUIRED:
                self.fail(at, f"missing required key '{key}'")
        field_id = self.get(item, at, "id", STRING)
        if field_id is not None and not FIELD_ID.fullmatch(field_id):
            self.fail((*at, "id"), f"field id '{field_id}' does not match {FIELD_ID.pattern}")
        mine = {key: item[key] for key in own if key in item}
        field = Field(
            id=field_id, type=kind, label=self.get(item, at, "label", TEXT),
            help=self.get(item, at, "help", STRING, ""),
            required=self.get(item, at, "required", BOOL, True),
            multiline=self.get(mine, at, "multiline", BOOL, False),
            min_length=self.get(mine, at, "min_length", COUNT),
            max_length=self.get(mine, at, "max_length", COUNT),
            options=self.strings(mine, at, "options", TEXT, "option"),
            min=self.get(mine, at, "min", NUMBER), max=self.get(mine, at, "max", NUMBER),
            unit=self.get(mine, at, "unit", TEXT),
            accept=self.strings(mine, at, "accept", (EXTENSION.fullmatch, "a lowercase "
                                "extension such as 'pdf'"), "extension"),
            max_size_mb=self.get(mine, at, "max_size_mb", POSITIVE))
        for low, high in (("min_length", "max_length"), ("min", "max")):
            a, b = getattr(field, low), getattr(field, high)
            if a is not None and b is not None and a > b:
                self.fail((*at, low), f"{low} {a} is more than {high} {b}")
        return field

    def strings(self, item: dict, at: tuple[Any, ...], key: str, rule: tuple,
                what: str) -> tuple[str, ...]:
        """Return the list at *key*, reporting items that fail *rule* and repeated items."""
        test, expected = rule
        listed = self.get(item, at, key, LIST, [])
        first: dict[Any, int] = {}
        for i, value in enumerate(listed):
            where = (*at, key, i)
            if not isinstance(value, str) or not test(value):
                self.fail(where, f"{what} {i + 1} must be {expected}, not {show_value(value)}")
            elif value in first:
                self.fail(where, f"{what} '{value}' is listed twice (first at line "
                                 f"{first[value]})")
            else:
                first[value] = self.lines.line_of(where)
        return tuple(listed)

