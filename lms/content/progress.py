"""Trainees' progress through lecture videos: player reports become coverage and xAPI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, g, has_request_context
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import load_only

from lms import xapi
from lms.cohorts.services import current_enrolment
from lms.content import rules
from lms.content.models import (
    LectureModule,
    ModuleProgress,
    PlaybackReport,
    ProgressStatus,
    WatchClock,
)
from lms.extensions import db
from lms.timeutil import utcnow
from lms.xapi import vocab

GROUPS = ("A", "B", "C", "D", "E")


@dataclass(frozen=True)
class PlayerEvent:
    """One thing the player saw happen: ``played`` | ``paused`` | ``seeked`` | ``ended``."""

    kind: str
    time: float
    time_from: float | None = None
    time_to: float | None = None


def _progress_row(user, module: LectureModule, lock: bool = False) -> ModuleProgress | None:
    query = db.select(ModuleProgress).filter_by(user_id=user.id, module_id=module.id)
    if lock:
        query = query.with_for_update(of=ModuleProgress)
    return db.session.execute(query).unique().scalar_one_or_none()


def open_module(user, module: LectureModule) -> ModuleProgress:
    """Return the trainee's progress on *module*, starting it (and its clock) on first visit."""
    row = _progress_row(user, module)
    if row is None:
        row = ModuleProgress(user_id=user.id, module_id=module.id, segments=[], coverage=0.0,
                             status=ProgressStatus.NOT_STARTED, opened_at=utcnow())
        db.session.add(row)
        db.session.flush()
    return row


def launch(user, module: LectureModule, session_id: str, url: str) -> None:
    """Record the cmi5 "launched" statement of a module page view (one per session)."""
    enrolment = current_enrolment(user)
    xapi.record(user, vocab.LAUNCHED, video_activity(module), context={
        "contextActivities": {"category": [vocab.CMI5_CATEGORY]},
        "extensions": {vocab.EXT_CMI5_SESSION: session_id, vocab.EXT_LAUNCH_MODE: "Normal",
                       vocab.EXT_LAUNCH_URL: url, vocab.EXT_MOVEON: "Completed"}},
        registration=enrolment.registration if enrolment else None)


def video_activity(module: LectureModule) -> dict[str, Any]:
    return xapi.activity(xapi.activity_iri("modules", module.slug), vocab.TYPE_VIDEO,
                         module.title)


def apply_report(user, module: LectureModule, report_id: str, raw_segments, events,
                 position: float, session_id: str, now: datetime | None = None) -> ModuleProgress:
    """Merge a player report into the trainee's coverage; a report already applied is ignored.

    Segments are unioned with what was stored (so reports may arrive twice or out of order),
    trimmed to what real time since the module was opened allows, and the module completes
    when coverage reaches the configured threshold.
    """
    now = now or utcnow()
    row = _progress_row(user, module, lock=True) or open_module(user, module)
    seen = db.session.execute(
        db.select(PlaybackReport.id).filter_by(user_id=user.id, report_id=report_id)
    ).first()
    if seen:
        return row  # the same report again: already applied
    # Two copies racing past the check collide on the unique constraint at flush; the view
    # rolls the loser back and answers with the stored progress.
    db.session.add(PlaybackReport(user_id=user.id, report_id=report_id, module_id=module.id))
    duration = module.duration_seconds
    incoming = rules.clean_segments(raw_segments, duration)
    stored = [tuple(s) for s in row.segments]
    watching = (now - row.opened_at).total_seconds()
    rate = current_app.config["MAX_PLAYBACK_RATE"]
    merged = rules.plausible(rules.merge(stored + incoming, gap=0.5), watching, rate)
    gained = rules.covered_seconds(merged) - rules.covered_seconds(stored)
    if gained > 0:
        merged = _within_watch_clock(user, row, stored, merged, gained, now, rate)
        gained = rules.covered_seconds(merged) - rules.covered_seconds(stored)
    row.segments = [list(s) for s in merged]
    row.coverage = round(rules.coverage(merged, duration), 4)
    row.last_position = max(0.0, min(float(position or 0), duration))
    row.updated_at = now
    if row.status == ProgressStatus.NOT_STARTED and merged:
        row.status = ProgressStatus.IN_PROGRESS
    threshold = current_app.config["COMPLETION_THRESHOLD"]
    newly_complete = (row.status != ProgressStatus.COMPLETE
                      and rules.is_complete(merged, duration, threshold))
    if newly_complete:
        row.status = ProgressStatus.COMPLETE
        row.completed_at = now
    db.session.flush()
    _record_statements(user, module, row, events, gained > 0, newly_complete, session_id, now)
    return row


def _within_watch_clock(user, row: ModuleProgress, stored, merged, gained: float,
                        now: datetime, rate: float):
    """Cap what this report adds by the trainee's watch clock, shared by every tab."""
    # the row exists once (two first reports in two tabs may race here), then is locked
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(WatchClock)
    db.session.execute(insert.values(user_id=user.id).on_conflict_do_nothing())
    clock = db.session.execute(db.select(WatchClock).filter_by(user_id=user.id)
                               .with_for_update()).scalar_one()
    granted = rules.credit(gained, clock.credited_until, row.opened_at, now, rate)
    clock.credited_until = granted.clock
    if granted.seconds >= gained:
        return merged
    return rules.within_credit(stored, merged, granted.seconds)


def _record_statements(user, module, row, events, played: bool, completed: bool,
                       session_id: str, now: datetime) -> None:
    enrolment = current_enrolment(user)
    registration = enrolment.registration if enrolment else None
    obj = video_activity(module)
    context = {"extensions": {vocab.VIDEO_EXT_SESSION_ID: session_id,
                              vocab.VIDEO_EXT_LENGTH: float(module.duration_seconds)}}
    progress = {vocab.VIDEO_EXT_PLAYED_SEGMENTS: rules.played_segments_string(row.segments),
                vocab.VIDEO_EXT_PROGRESS: round(row.coverage, 3)}

    def emit(verb, extensions, **result):
        xapi.record(user, verb, obj, result={"extensions": extensions, **result},
                    context=context, registration=registration, timestamp=now)

    if played:
        emit(vocab.VIDEO_PLAYED, {vocab.VIDEO_EXT_TIME: row.last_position, **progress})
    for event in events:
        if event.kind == "paused":
            emit(vocab.VIDEO_PAUSED, {vocab.VIDEO_EXT_TIME: event.time, **progress})
        elif event.kind == "seeked" and event.time_from is not None:
            emit(vocab.VIDEO_SEEKED, {vocab.VIDEO_EXT_TIME_FROM: event.time_from,
                                vocab.VIDEO_EXT_TIME_TO: event.time_to or event.time})
    if completed:
        context["contextActivities"] = {"category": [vocab.CMI5_CATEGORY,
                                                     vocab.MOVEON_CATEGORY]}
        context["extensions"][vocab.EXT_CMI5_SESSION] = session_id
        emit(vocab.COMPLETED, {vocab.VIDEO_EXT_TIME: row.last_position, **progress},
             completion=True, duration=f"PT{int(module.duration_seconds)}S")
        _satisfy_group(user, module, registration, now)


def _satisfy_group(user, module: LectureModule, registration: str | None, now) -> None:
    """cmi5 "satisfied" for a subject group (block) once its last module completes."""
    group = next(g for g in _course_progress(user) if g.letter == module.group_letter)
    if group.modules and group.complete == len(group.modules):
        xapi.record(user, vocab.SATISFIED, xapi.activity(
            xapi.activity_iri("groups", module.group_letter), vocab.TYPE_BLOCK,
            f"科目群{module.group_letter}の講義", f"Group {module.group_letter} lectures"),
            context={"contextActivities": {"category": [vocab.CMI5_CATEGORY,
                                                        vocab.MOVEON_CATEGORY]}},
            registration=registration, timestamp=now)


@dataclass(frozen=True)
class GroupProgress:
    letter: str
    modules: list[tuple[LectureModule, ProgressStatus, float]]

    @property
    def complete(self) -> int:
        return sum(1 for _, status, _ in self.modules if status == ProgressStatus.COMPLETE)

    @property
    def percent(self) -> int:
        return round(100 * self.complete / len(self.modules)) if self.modules else 0


def course_progress(user) -> list[GroupProgress]:
    """Return every group A–E with its published modules and this trainee's status on each.

    Remembered for the rest of a web request: the home page and the gating both need it.
    """
    cache = g.setdefault("lms_course_progress", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = _course_progress(user)
    return cache[user.id]


def _course_progress(user) -> list[GroupProgress]:
    # Only what the course map shows: bodies and transcripts are large and parsed on load.
    modules = db.session.execute(
        db.select(LectureModule).where(LectureModule.published.is_(True))
        .options(load_only(LectureModule.slug, LectureModule.group_letter,
                           LectureModule.order, LectureModule.title,
                           LectureModule.duration_seconds, LectureModule.published))
        .order_by(LectureModule.group_letter, LectureModule.order)
    ).scalars().all()
    rows = {
        p.module_id: p
        for p in db.session.execute(
            db.select(ModuleProgress).filter_by(user_id=user.id)).unique().scalars()
    }
    groups = []
    for letter in GROUPS:
        items = []
        for module in modules:
            if module.group_letter != letter:
                continue
            row = rows.get(module.id)
            items.append((module, row.status if row else ProgressStatus.NOT_STARTED,
                          row.coverage if row else 0.0))
        groups.append(GroupProgress(letter, items))
    return groups


def overall_percent(groups: list[GroupProgress]) -> int:
    total = sum(len(g.modules) for g in groups)
    return round(100 * sum(g.complete for g in groups) / total) if total else 0
