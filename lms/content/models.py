"""Lecture modules as loaded from git, and each trainee's progress through them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import Model, enum_type
from lms.timeutil import UTCDateTime, utcnow


class LectureModule(Model):
    """One lecture module (講義) of course ①, synced from ``content/modules/<id>.md``.

    Rows are never deleted: a module removed from git is unpublished, so progress survives.
    """

    __table_args__ = (
        CheckConstraint("duration_seconds > 0", name="duration_positive"),
        CheckConstraint("group_letter IN ('A','B','C','D','E')", name="group_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the stable id from the front matter
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: subject group 科目群 A–E
    group_letter: Mapped[str] = mapped_column(String(1), index=True)
    order: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: path under the content root, or an http(s) URL
    video: Mapped[str] = mapped_column(String(500))
    #: language → path of a WebVTT file under the content root
    captions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    duration_seconds: Mapped[int]
    published: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text, default="")
    #: transcript cues from the Japanese captions: [[start, end, text], ...]
    transcript: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source_path: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    #: bumped whenever the file's content changes
    version: Mapped[int] = mapped_column(default=1)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProgressStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


class ModuleProgress(Model):
    """How much of one module's video one trainee has really watched."""

    __table_args__ = (UniqueConstraint("user_id", "module_id", name="user_module"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("lecture_module.id", ondelete="CASCADE"),
                                           index=True)
    #: merged played segments [[start, end], ...] in media seconds
    segments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    coverage: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[ProgressStatus] = mapped_column(enum_type(ProgressStatus),
                                                   default=ProgressStatus.NOT_STARTED)
    last_position: Mapped[float] = mapped_column(Float, default=0.0)
    #: when the trainee first opened the module page; bounds how much can have been watched
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    module: Mapped[LectureModule] = relationship(lazy="joined")


class PlaybackReport(Model):
    """A player report already applied, so a resent report changes nothing (idempotency)."""

    __table_args__ = (UniqueConstraint("user_id", "report_id", name="user_report"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: client-generated UUID of the report
    report_id: Mapped[str] = mapped_column(String(36))
    module_id: Mapped[int] = mapped_column(ForeignKey("lecture_module.id", ondelete="CASCADE"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WatchClock(Model):
    """A trainee's watch clock: the real time their credited lecture watching has used up.

    Shared by every lecture and tab, so parallel playback cannot earn more than one person
    watching at the fastest allowed rate (``LMS_MAX_PLAYBACK_RATE``).
    """

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    credited_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
class ViewingSession(Model):
    """One viewing of a lecture page: a cmi5 AU session and a Video Profile session.

    The LMS launches it when the page opens (``launched``, ``initialized``) and ends it when
    the player says the page is closing (``terminated``) or, if the player never said so,
    when the trainee opens a lecture page later (``abandoned``). Its id is the ``session-id``
    and ``sessionid`` of every statement recorded in it.
    """

    __table_args__ = (Index("ix_viewing_session_open", "user_id", "ended_at"),)

    #: a UUID, generated by the LMS
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("lecture_module.id", ondelete="CASCADE"))
    registration: Mapped[str | None] = mapped_column(String(36))
    launched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: when the last statement of the session was recorded
    last_event_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: whether the player was last known to be playing (a pause is recorded before the end)
    playing: Mapped[bool] = mapped_column(default=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: "terminated" or "abandoned"
    ended_how: Mapped[str | None] = mapped_column(String(20))

    module: Mapped[LectureModule] = relationship(lazy="joined")
