"""Checking and publishing authored content: one path for ``flask content check/sync`` and the
instructors' status page. Functions flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lms import audit
from lms.assessment.models import Quiz
from lms.assessment.quizcheck import load_quizzes
from lms.assessment.sync import sync_quizzes
from lms.content.loader import GROUPS, load_modules
from lms.content.models import LectureModule
from lms.content.problems import Problem
from lms.content.sync import SyncResult, sync_modules
from lms.extensions import db
from lms.practice.formfile import load_report_forms
from lms.progression import registry
from lms.progression.program import PROGRAM_FILE, load_gates
from lms.progression.rules import gate_problems


def check_all(content_root: Path) -> tuple[dict[str, int], list[Problem]]:
    """Validate modules, quizzes, report forms and the programme file; return counts, problems."""
    modules, problems = load_modules(content_root)
    quizzes, quiz_problems = load_quizzes(content_root.parent)
    forms, form_problems = load_report_forms(content_root.parent)
    gates, gate_file_problems = load_gates(content_root)
    known = ({f"lectures:{g}" for g in GROUPS} | {f"quiz:{q.id}" for q in quizzes}
             | registry.stage_units())
    gate_refs = [Problem(PROGRAM_FILE, 0, message) for message in gate_problems(gates, known)]
    if quiz_problems:  # unknown quiz units are only meaningful once the quizzes load
        gate_refs = [p for p in gate_refs if "'quiz:" not in p.message]
    counts = {"modules": len(modules), "quizzes": len(quizzes), "forms": len(forms),
              "gates": len(gates)}
    return counts, [*problems, *quiz_problems, *form_problems, *gate_file_problems, *gate_refs]


@dataclass(frozen=True)
class FileStatus:
    """One module or quiz: its file against what trainees see now."""

    kind: str  #: module | quiz
    id: str
    title: str
    path: str
    state: str  #: new | changed | unchanged | removed | invalid (its file has problems)


@dataclass
class ContentStatus:
    files: list[FileStatus] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def pending(self) -> list[FileStatus]:
        return [f for f in self.files if f.state != "unchanged"]


def _compare(kind: str, files, rows: dict, live) -> list[FileStatus]:
    """*live(row)*: whether trainees see the row now (a deactivated quiz, an unpublished
    module without its file, are not listed as removed)."""
    found = []
    for spec in files:
        row = rows.pop(spec.id, None)
        state = "new" if row is None else (
            "unchanged" if row.content_hash == spec.content_hash
            and (kind == "module" or live(row)) else "changed")
        found.append(FileStatus(kind, spec.id, spec.title, spec.path, state))
    found += [FileStatus(kind, slug, row.title, getattr(row, "source_path", ""), "removed")
              for slug, row in rows.items() if live(row)]
    return found


def status(content_root: Path) -> ContentStatus:
    """What a publish would change (files vs database), and every problem with file and line."""
    _, problems = check_all(content_root)
    modules, _m = load_modules(content_root)
    quizzes, _q = load_quizzes(content_root.parent)
    module_rows = {r.slug: r for r in db.session.execute(db.select(LectureModule)).scalars()}
    quiz_rows = {r.slug: r for r in db.session.execute(db.select(Quiz)).unique().scalars()}
    files = (_compare("module", modules, module_rows, lambda r: r.published)
             + _compare("quiz", quizzes, quiz_rows, lambda r: r.active))
    # a file that does not load is not gone: it waits for its problems to be fixed
    broken = {p.path for p in problems}
    files = [FileStatus(f.kind, f.id, f.title, f.path, "invalid")
             if f.state == "removed" and f.path in broken else f for f in files]
    return ContentStatus(files, problems)


@dataclass
class PublishResult:
    problems: list[Problem]
    modules: SyncResult | None = None
    quizzes: SyncResult | None = None

    @property
    def published(self) -> bool:
        return not self.problems


def publish(content_root: Path, actor=None) -> PublishResult:
    """Load every authored file into the database, or nothing if any file has a problem.

    Edited modules keep their rows, so every trainee keeps their progress.
    """
    _, problems = check_all(content_root)
    if problems:
        return PublishResult(problems)
    modules = sync_modules(content_root, actor)
    quizzes = sync_quizzes(content_root.parent, actor)
    if actor is not None:
        audit.record(actor, "content.publish", "Content", {
            "added": modules.added + quizzes.added, "updated": modules.updated + quizzes.updated,
            "unpublished": modules.unpublished + quizzes.unpublished})
    return PublishResult([], modules, quizzes)
