"""Load quiz files from git into the database. Flushes; the caller commits."""

from __future__ import annotations

from pathlib import Path

from lms import audit
from lms.assessment.models import Quiz
from lms.assessment.quizcheck import load_quizzes
from lms.assessment.snapshot import to_json
from lms.authoring.registry import SyncResult
from lms.extensions import db
from lms.timeutil import utcnow


def sync_quizzes(root: Path, actor=None) -> SyncResult:
    """Make the quizzes table match ``<root>/quizzes``; refuse (changing nothing) on problems.

    A changed file gets a new version; attempts already started keep the questions they drew.
    A quiz whose file is gone is deactivated, never deleted.
    """
    quizzes, problems = load_quizzes(root)
    result = SyncResult(problems=problems)
    if problems:
        return result
    existing = {q.slug: q for q in db.session.execute(db.select(Quiz)).unique().scalars()}
    for spec in quizzes:
        row = existing.pop(spec.id, None)
        if row is not None and row.content_hash == spec.content_hash and row.active:
            result.unchanged.append(spec.id)
            continue
        if row is None:
            row = Quiz(slug=spec.id, version=1)
            db.session.add(row)
            result.added.append(spec.id)
        else:
            row.version += 1
            result.updated.append(spec.id)
        row.title, row.kind, row.group_letter = spec.title, spec.kind, spec.group
        row.definition = to_json(spec)
        row.content_hash, row.active, row.synced_at = spec.content_hash, True, utcnow()
    for slug, row in existing.items():
        if row.active:
            row.active = False
            result.unpublished.append(slug)
    db.session.flush()
    if result.added or result.updated or result.unpublished:
        audit.record(actor, "quiz.sync", "Quiz", {
            "added": result.added, "updated": result.updated, "deactivated": result.unpublished})
    return result
