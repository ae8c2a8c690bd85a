"""Checking and publishing authored content: one path for ``flask content check/sync`` and the
instructors' status page, over every registered kind of file. Functions flush; the caller
commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lms import audit
from lms.authoring.problems import Problem
from lms.authoring.registry import Checked, FileKind, Known, Shown, SyncResult, kinds


@dataclass
class CheckResult:
    """Every registered kind's findings, in the kinds' order."""

    checked: dict[str, Checked] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(found.items) for name, found in self.checked.items()}


def check_all(content_root: Path) -> CheckResult:
    """Check every registered kind of file, then the references between files."""
    result = CheckResult()
    units: set[str] = set()
    unsure: set[str] = set()
    for kind in kinds():
        found = kind.check(content_root)
        result.checked[kind.name] = found
        result.problems.extend(found.problems)
        units |= found.units
        if found.problems:
            unsure.update(kind.unit_kinds)
    known = Known(frozenset(units), frozenset(unsure))
    for found in list(result.checked.values()):
        if found.references is not None:
            result.problems.extend(found.references(known))
    return result


@dataclass(frozen=True)
class FileStatus:
    """One authored file against what trainees see now."""

    kind: str  #: the kind's label, e.g. "Test"
    id: str
    title: str
    path: str
    state: str  #: new | changed | unchanged | removed | invalid (its file has problems)


@dataclass
class ContentStatus:
    files: list[FileStatus] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: the checked files of each kind, for the preview page's listings
    checked: dict[str, Checked] = field(default_factory=dict)

    @property
    def pending(self) -> list[FileStatus]:
        return [f for f in self.files if f.state != "unchanged"]


def _compare(kind: FileKind, files: Sequence[Any], rows: Mapping[str, Shown]) -> list[FileStatus]:
    label, rows = str(kind.label), dict(rows)
    found = []
    for spec in files:
        row = rows.pop(spec.id, None)
        state = "new" if row is None else (
            "unchanged" if row.content_hash == spec.content_hash else "changed")
        found.append(FileStatus(label, spec.id, spec.title, spec.path, state))
    found += [FileStatus(label, slug, row.title, row.path, "removed")
              for slug, row in rows.items() if row.shown]
    return found


def status(content_root: Path) -> ContentStatus:
    """What a publish would change (files vs database), and every problem with file and line."""
    result = check_all(content_root)
    files: list[FileStatus] = []
    for kind in kinds():
        if kind.shown is not None and kind.name in result.checked:
            files += _compare(kind, result.checked[kind.name].items, kind.shown())
    # a file that does not load is not gone: it waits for its problems to be fixed
    broken = {p.path for p in result.problems}
    files = [FileStatus(f.kind, f.id, f.title, f.path, "invalid")
             if f.state == "removed" and f.path in broken else f for f in files]
    return ContentStatus(files, result.problems, result.checked)


@dataclass
class PublishResult:
    problems: list[Problem]
    #: what each kind loaded into the database, by kind name
    synced: dict[str, SyncResult] = field(default_factory=dict)

    @property
    def published(self) -> bool:
        return not self.problems

    def total(self, what: str) -> list[str]:
        """The ids *what* (added, updated, unpublished) across every kind."""
        return [slug for result in self.synced.values() for slug in getattr(result, what)]


def publish(content_root: Path, actor=None) -> PublishResult:
    """Load every authored file into the database, or nothing if any file has a problem.

    Edited modules keep their rows, so every trainee keeps their progress.
    """
    problems = check_all(content_root).problems
    if problems:
        return PublishResult(problems)
    result = PublishResult([], {kind.name: kind.publish(content_root, actor)
                                for kind in kinds() if kind.publish is not None})
    if actor is not None:
        audit.record(actor, "content.publish", "Content", {
            "added": result.total("added"), "updated": result.total("updated"),
            "unpublished": result.total("unpublished")})
    return result
