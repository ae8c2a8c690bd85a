"""Trainees' progress through lecture videos: player reports become coverage and xAPI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g, has_request_context
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import load_only

from lms.cohorts.services import current_enrolment
from lms.content import rules, viewing
from lms.content.models import (
    LectureModule,
    ModuleProgress,
    PlaybackReport,
    ProgressStatus,
    WatchClock,
)
from lms.extensions import db
from lms.links import external_url
from lms.timeutil import utcnow

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


def launch(user, module: LectureModule, url: str | None = None,
           now: datetime | None = None) -> viewing.ViewingSession:
    """Start a viewing session of a module page (cmi5 ``launched``, ``initialized``)."""
    url = url or external_url("course.module_page", slug=module.slug)
    return viewing.launch(user, module, current_enrolment(user), url, now or utcnow())


def apply_report(user, module: LectureModule, report_id: str, raw_segments, events,
                 position: float, session_id: str, now: datetime | None = None,
                 final: bool = False) -> ModuleProgress:
    """Merge a player report into the trainee's coverage; a report already applied is ignored.

    Segments are unioned with what was stored (so reports may arrive twice or out of order),
    trimmed to what real time since the module was opened allows, and the module completes
    when coverage reaches the configured threshold. The statements go to the viewing session
    *session_id* (a new one if that is not open); a *final* report ends the session.
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
    enrolment = current_enrolment(user)
    session = viewing.session_for(user, module, session_id, enrolment,
                                  external_url("course.module_page", slug=module.slug), now)
    satisfied: list[str] = []
    if newly_complete:
        groups = _course_progress(user)
        group = next(g for g in groups if g.letter == module.group_letter)
        if group.modules and group.complete == len(group.modules):
            satisfied.append("block")
            if all(g.complete == len(g.modules) for g in groups):
                satisfied.append("course")
    viewing.record_report(user, session, enrolment, row, events, gained > 0, newly_complete,
                          satisfied, final, now)
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
