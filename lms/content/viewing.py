"""Viewing sessions of lecture pages and their statements (cmi5 and the ADL Video Profile).

A lecture module is a cmi5 assignable unit (AU) whose player is the LMS's own page, so the
LMS makes both the LMS's statements (``launched``, ``abandoned``, ``satisfied``, and the
``LMS.LaunchData`` state document) and the AU's (``initialized``, ``completed``,
``terminated``), from what the player reports. The Video Profile's statements of the same
session (``played``, ``paused``, ``seeked``) carry the same session id.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from lms import xapi
from lms.content import rules
from lms.content.models import LectureModule, ModuleProgress, ViewingSession
from lms.extensions import db
from lms.links import external_url
from lms.lrs import documents
from lms.lrs.models import DocumentKind
from lms.xapi import context as where
from lms.xapi import vocab
from lms.xapi.index import agent_key
from lms.xapi.recorder import actor_for

#: a session silent for this long, and not terminated, counts as abandoned at the next launch
#: (shorter waits would race the closing page's last report)
ABANDON_AFTER = timedelta(minutes=2)
MOVE_ON = "Completed"


def au_activity(module: LectureModule) -> dict[str, Any]:
    """The lecture module as the activity its statements are about (the AU, a video)."""
    return xapi.activity(xapi.activity_iri("modules", module.slug), vocab.TYPE_VIDEO,
                         module.title, f"Lecture {module.slug}")


def publisher_activity(*parts: str, name_ja: str, name_en: str) -> dict[str, Any]:
    """The authored unit (cmi5's publisher id): ``content/...``, distinct from the ids the
    LMS gives the AU, its block and its course."""
    return {"objectType": "Activity", "id": xapi.activity_iri("content", *parts),
            "definition": {"name": {"ja-JP": name_ja, "en-US": name_en}}}


def _publisher(module: LectureModule) -> dict[str, Any]:
    return publisher_activity("modules", module.slug, name_ja=module.title,
                              name_en=f"Lecture {module.slug}")


def session_context(session: ViewingSession, enrolment, *, cmi5: bool, moveon: bool = False,
                    video: bool = True) -> dict[str, Any]:
    """The context of a statement in *session*: the cmi5 context template (publisher id,
    session id), the Video Profile's category and extensions, the subject group as parent."""
    module = session.module
    category: list[dict[str, Any]] = []
    if video:
        category.append(vocab.VIDEO_CATEGORY)
    if cmi5:
        category.append(vocab.CMI5_CATEGORY)
    if moveon:
        category.append(vocab.MOVEON_CATEGORY)
    extensions: dict[str, Any] = {vocab.EXT_CMI5_SESSION: session.id}
    if video:
        extensions.update({
            vocab.VIDEO_EXT_SESSION_ID: session.id,
            vocab.VIDEO_EXT_LENGTH: float(module.duration_seconds),
            vocab.VIDEO_EXT_COMPLETION_THRESHOLD: float(
                current_app.config["COMPLETION_THRESHOLD"]),
        })
    return where.of(enrolment, parent=[where.subject_group(module.group_letter)],
                    grouping=[_publisher(module)], category=category or None,
                    extensions=extensions)


def _launch_data(session: ViewingSession, enrolment) -> dict[str, Any]:
    return {
        "contextTemplate": {
            "contextActivities": {"grouping": [_publisher(session.module)]},
            "extensions": {vocab.EXT_CMI5_SESSION: session.id},
        },
        "launchMode": "Normal",
        "moveOn": MOVE_ON,
        "returnURL": external_url("course.overview"),
    }


def launch(user, module: LectureModule, enrolment, url: str,
           now: datetime) -> ViewingSession:
    """Start a viewing session: abandon the trainee's stale ones, write ``LMS.LaunchData``,
    record ``launched`` and ``initialized``."""
    abandon_stale(user, now)
    session = ViewingSession(id=str(uuid.uuid4()), user_id=user.id, module_id=module.id,
                             registration=enrolment.registration if enrolment else None,
                             launched_at=now, last_event_at=now)
    db.session.add(session)
    db.session.flush()
    db.session.refresh(session)
    if session.registration:
        documents.put(
            documents.Address(DocumentKind.STATE, xapi.activity_iri("modules", module.slug),
                              agent_key(actor_for(user)) or "", session.registration),
            vocab.LAUNCH_DATA, json.dumps(_launch_data(session, enrolment),
                                          ensure_ascii=False).encode(),
            "application/json", merge=False)
    launched = session_context(session, enrolment, cmi5=True, video=False)
    launched["extensions"].update({vocab.EXT_LAUNCH_MODE: "Normal", vocab.EXT_LAUNCH_URL: url,
                                   vocab.EXT_MOVEON: MOVE_ON})
    xapi.record(user, vocab.LAUNCHED, au_activity(module), context=launched, timestamp=now)
    xapi.record(user, vocab.INITIALIZED, au_activity(module),
                context=session_context(session, enrolment, cmi5=True), timestamp=now)
    return session


def session_for(user, module: LectureModule, session_id: str, enrolment, url: str,
                now: datetime) -> ViewingSession:
    """The open session a player report belongs to; a new one if the report names a session
    that is not this trainee's open session of this module (ended, or from another page)."""
    session = db.session.get(ViewingSession, session_id) if session_id else None
    if session is None or session.user_id != user.id or session.module_id != module.id \
            or session.ended_at is not None:
        session = launch(user, module, enrolment, url, now)
    return session


def abandon_stale(user, now: datetime) -> None:
    """cmi5 9.3.6: the LMS records ``abandoned`` for a session that ended without
    ``terminated`` (the page was closed without the player saying so)."""
    stale = db.session.execute(select(ViewingSession).where(
        ViewingSession.user_id == user.id, ViewingSession.ended_at.is_(None),
        ViewingSession.last_event_at < now - ABANDON_AFTER)).unique().scalars().all()
    for session in stale:
        enrolment = _enrolment(session)
        xapi.record(user, vocab.ABANDONED, au_activity(session.module),
                    result={"duration": iso_duration(
                        (session.last_event_at - session.launched_at).total_seconds())},
                    context=session_context(session, enrolment, cmi5=True, video=False),
                    timestamp=now)
        session.ended_at, session.ended_how = now, "abandoned"
    db.session.flush()


def _enrolment(session: ViewingSession):
    from lms.cohorts.models import Enrolment

    if not session.registration:
        return None
    return db.session.execute(select(Enrolment).filter_by(
        registration=session.registration)).scalar_one_or_none()


def iso_duration(seconds: float) -> str:
    """An ISO 8601 duration such as ``PT75.5S`` (at most two decimals)."""
    return f"PT{max(0.0, seconds):.2f}".rstrip("0").rstrip(".") + "S"


def record_report(user, session: ViewingSession, enrolment, row: ModuleProgress, events,
                  played: bool, completed: bool, satisfied: list[str], final: bool,
                  now: datetime) -> None:
    """Record the statements of one player report in *session* (a final report ends it);
    *satisfied* says whether the module's block (``"block"``) and course 1's lectures
    (``"course"``) are now satisfied."""
    obj = au_activity(session.module)
    progress = {vocab.VIDEO_EXT_PLAYED_SEGMENTS: rules.played_segments_string(row.segments),
                vocab.VIDEO_EXT_PROGRESS: round(row.coverage, 3)}
    plain = session_context(session, enrolment, cmi5=False)

    def emit(verb, extensions, context=plain, **result):
        xapi.record(user, verb, obj, result={"extensions": extensions, **result},
                    context=context, timestamp=now)

    if played:
        emit(vocab.VIDEO_PLAYED, {vocab.VIDEO_EXT_TIME: _t(row.last_position)})
        session.playing = True
    for event in events:
        if event.kind == "paused":
            emit(vocab.VIDEO_PAUSED, {vocab.VIDEO_EXT_TIME: _t(event.time), **progress})
            session.playing = False
        elif event.kind == "seeked" and event.time_from is not None:
            emit(vocab.VIDEO_SEEKED, {vocab.VIDEO_EXT_TIME_FROM: _t(event.time_from),
                                      vocab.VIDEO_EXT_TIME_TO: _t(event.time_to or event.time)})
    if completed:
        watched = rules.covered_seconds([tuple(s) for s in row.segments])
        emit(vocab.COMPLETED, {vocab.VIDEO_EXT_TIME: _t(row.last_position), **progress},
             context=session_context(session, enrolment, cmi5=True, moveon=True),
             completion=True, duration=iso_duration(watched))
    if satisfied:
        satisfy(user, session, enrolment, session.module.group_letter, "course" in satisfied,
                now)
    if final:
        if session.playing:  # the Video Profile wants a pause before the end
            emit(vocab.VIDEO_PAUSED, {vocab.VIDEO_EXT_TIME: _t(row.last_position), **progress})
            session.playing = False
        emit(vocab.TERMINATED, {vocab.VIDEO_EXT_TIME: _t(row.last_position), **progress},
             context=session_context(session, enrolment, cmi5=True),
             duration=iso_duration((now - session.launched_at).total_seconds()))
        session.ended_at, session.ended_how = now, "terminated"
    session.last_event_at = now
    db.session.flush()


def _t(value: float) -> float:
    """A media time as the Video Profile writes it: seconds with at most 3 decimals."""
    return round(float(value), 3)


def satisfy(user, session: ViewingSession, enrolment, letter: str, whole_course: bool,
            now: datetime) -> None:
    """cmi5 ``satisfied``: for the subject group's lectures (a block) once all are complete,
    and for all of course ①'s lectures (the course) once every group is; in *session*."""
    def emit(activity, publisher):
        ctx = where.of(enrolment, grouping=[publisher], category=[vocab.CMI5_CATEGORY],
                       extensions={vocab.EXT_CMI5_SESSION: session.id})
        xapi.record(user, vocab.SATISFIED, activity, context=ctx, timestamp=now)

    emit(xapi.activity(xapi.activity_iri("groups", letter, "lectures"), vocab.TYPE_BLOCK,
                       f"科目群{letter}の講義", f"Group {letter} lectures"),
         publisher_activity("groups", letter, name_ja=f"科目群{letter}の講義",
                            name_en=f"Group {letter} lectures"))
    if whole_course:
        emit(xapi.activity(xapi.activity_iri("lectures"), vocab.TYPE_CMI5_COURSE,
                           "養成課程①の講義", "Course 1 lectures"),
             publisher_activity("course1", name_ja="養成課程①の講義",
                                name_en="Course 1 lectures"))
