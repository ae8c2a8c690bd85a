"""The kinds of authored file: each feature registers how its files are checked (and, if they
are loaded into the database, published and compared); authoring knows no feature.

Lecture modules register in ``content``, quizzes in ``assessment``, report forms in
``practice`` and the programme file in ``progression``; ``flask content check``, the content
status page and publishing iterate what is registered. No Flask and no database here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lms.authoring.problems import Problem


@dataclass
class SyncResult:
    """What loading one kind of file into the database did, by id (or the problems that
    stopped it: then nothing changed)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Known:
    """The programme units every checked file defines, for references between files."""

    units: frozenset[str]
    #: unit kinds (``quiz``) whose files have problems: an unknown unit of such a kind may
    #: be defined in a file that did not load, so it is not reported
    unsure: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Checked:
    """What one kind's checker found in its files."""

    #: the valid files' values (a file with any problem is left out), for the preview page
    items: Sequence[Any] = ()
    problems: Sequence[Problem] = ()
    #: the programme units these files define (``quiz:basics``), known to other files
    units: frozenset[str] = frozenset()
    #: ``(known) -> problems`` with references to other files' units, called once every
    #: kind has been checked (the programme file names lectures, quizzes and stages)
    references: Callable[[Known], list[Problem]] | None = None


@dataclass(frozen=True)
class Shown:
    """What trainees see now of one authored file (its database row), for the status page."""

    title: str
    #: the hash of the file last loaded; None when trainees do not see it (a deactivated
    #: quiz), so that publishing its file counts as a change
    content_hash: str | None
    path: str = ""
    #: whether trainees see it now: a row not shown and without its file is not "removed"
    shown: bool = True


def _id(item: Any) -> str:
    return item.id


@dataclass(frozen=True)
class Preview:
    """A page showing one checked file as a trainee sees it, under ``/instructor/preview``
    (instructors and administrators; an id no valid file has is a 404)."""

    rule: str  #: with one variable, e.g. ``/quizzes/<slug>``
    endpoint: str  #: e.g. ``quiz`` (becomes ``preview.quiz``)
    #: ``(item) -> response``: the page of one of the kind's checked items
    render: Callable[[Any], Any]
    #: ``(item) -> str``: the value of the rule's variable that names *item*
    key: Callable[[Any], str] = _id


@dataclass(frozen=True)
class FileKind:
    """One kind of authored file, as a feature registers it."""

    #: the registry key and the noun of ``flask content check``'s summary, e.g. ``quizzes``
    name: str
    #: ``(content folder) -> Checked``; quizzes and report forms live beside that folder
    check: Callable[[Path], Checked]
    #: where the kind stands in summaries and in the list of problems (lower first)
    order: int = 50
    #: unit kinds (``quiz``) that are known only from files that load
    unit_kinds: tuple[str, ...] = ()
    #: one file of this kind in the status table, e.g. "Test" (a lazily translated string)
    label: str = ""
    #: ``() -> {id: Shown}``: what trainees see now; None for files read at run time
    shown: Callable[[], Mapping[str, Shown]] | None = None
    #: ``(content folder, actor) -> SyncResult``: load the files into the database (flushes)
    publish: Callable[[Path, Any], SyncResult] | None = None
    #: a template listing the checked files on the preview page (it gets ``items``)
    listing: str | None = None
    previews: tuple[Preview, ...] = ()


_KINDS: dict[str, FileKind] = {}


def register(kind: FileKind) -> FileKind:
    """Add (or replace) a kind of file; idempotent, so app factories may call it again."""
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _KINDS.pop(name, None)


def kinds() -> list[FileKind]:
    """Every registered kind, in their order."""
    return sorted(_KINDS.values(), key=lambda kind: kind.order)
