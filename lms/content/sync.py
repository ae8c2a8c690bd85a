"""Load lecture modules from git into the database. Flushes; the caller commits."""

from __future__ import annotations

from pathlib import Path

from lms import audit
from lms.authoring.registry import SyncResult
from lms.content.loader import ModuleFile, load_modules, parse_vtt
from lms.content.models import LectureModule
from lms.extensions import db
from lms.timeutil import utcnow


def _transcript(root: Path, module: ModuleFile) -> list[list]:
    path = dict(module.captions).get("ja")
    if not path:
        return []
    cues = parse_vtt((root / path).read_text(encoding="utf-8"))
    return [[cue.start, cue.end, cue.text] for cue in cues]


def apply_file(row: LectureModule, module: ModuleFile, root: Path) -> None:
    """Copy a module file's content onto a row (a stored one, or a transient one to preview)."""
    row.group_letter = module.group
    row.order = module.order
    row.title = module.title
    row.objectives = list(module.objectives)
    row.video = module.video
    row.captions = dict(module.captions)
    row.duration_seconds = module.duration
    row.published = module.published
    row.body = module.body
    row.transcript = _transcript(root, module)
    row.source_path = module.path
    row.content_hash = module.content_hash
    row.synced_at = utcnow()


def sync_modules(root: Path, actor=None) -> SyncResult:
    """Make the database match the module files; refuse (changing nothing) if any file is bad.

    Edited modules keep their row (and so every trainee's progress) and get a new version;
    modules gone from git are unpublished, never deleted.
    """
    modules, problems = load_modules(root)
    result = SyncResult(problems=problems)
    if problems:
        return result
    existing = {row.slug: row for row in db.session.execute(db.select(LectureModule)).scalars()}
    for module in modules:
        row = existing.pop(module.id, None)
        if row is None:
            row = LectureModule(slug=module.id, version=1)
            apply_file(row, module, root)
            db.session.add(row)
            result.added.append(module.id)
        elif row.content_hash != module.content_hash:
            apply_file(row, module, root)
            row.version += 1
            result.updated.append(module.id)
        else:
            result.unchanged.append(module.id)
    for slug, row in existing.items():
        if row.published:
            row.published = False
            result.unpublished.append(slug)
    db.session.flush()
    if result.added or result.updated or result.unpublished:
        audit.record(actor, "content.sync", "LectureModule", {
            "added": result.added, "updated": result.updated,
            "unpublished": result.unpublished})
    return result
