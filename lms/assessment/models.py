"""Quizzes as loaded from git, attempts with their saved answers, and per-trainee overrides."""

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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import Model, enum_type
from lms.timeutil import UTCDateTime, utcnow


class Quiz(Model):
    """A test (小テスト, 総合確認テスト, 修了認定テスト …) synced from ``quizzes/<id>.yaml``.

    ``definition`` holds the whole file, answer keys included: it never leaves the server.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: group | comprehensive | certification | renewal
    kind: Mapped[str] = mapped_column(String(20), index=True)
    group_letter: Mapped[str | None] = mapped_column(String(1))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)
    #: False once the file is removed from git; attempts are kept
    active: Mapped[bool] = mapped_column(default=True)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    #: the time limit ran out; graded with the answers saved until then
    EXPIRED = "expired"


class QuizAttempt(Model):
    """One sitting of a quiz by one trainee, with the questions drawn for it."""

    __table_args__ = (
        UniqueConstraint("user_id", "quiz_id", "number", name="user_quiz_number"),
        # at most one open attempt per trainee and quiz, even under concurrent starts
        Index("uq_quiz_attempt_open", "user_id", "quiz_id", unique=True,
              postgresql_where=text("status = 'in_progress'"),
              sqlite_where=text("status = 'in_progress'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    #: 1 for the first attempt
    number: Mapped[int]
    quiz_version: Mapped[int]
    seed: Mapped[int]
    registration: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[AttemptStatus] = mapped_column(enum_type(AttemptStatus),
                                                  default=AttemptStatus.IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: None when the quiz has no time limit
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float | None] = mapped_column(Float)
    possible: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    #: None until finished; for a certification test None until the committee decides
    passed: Mapped[bool | None]
    #: what the pass mark gives; for a certification test only a proposal (§6(2)ア)
    proposed: Mapped[bool | None]

    quiz: Mapped[Quiz] = relationship(lazy="joined")
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan")


class AttemptItem(Model):
    """One drawn question of an attempt: its snapshot, presentation order and saved answer."""

    __table_args__ = (UniqueConstraint("attempt_id", "question_id", name="attempt_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int]
    question_id: Mapped[str] = mapped_column(String(80))
    #: the question as it was when drawn, answer key included (server side only)
    question: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: option ids, or ordering item indices, in the order shown to the trainee
    presentation: Mapped[list[Any]] = mapped_column(JSON, default=list)
    response: Mapped[Any | None] = mapped_column(JSON)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    awarded: Mapped[float | None] = mapped_column(Float)
    correct: Mapped[bool | None]

    attempt: Mapped[QuizAttempt] = relationship(back_populates="items")


class QuizOverride(Model):
    """Extra attempts or extra time granted to one trainee on one quiz (audited)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    extra_attempts: Mapped[int] = mapped_column(default=0)
    extra_minutes: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReviewStatus(enum.StrEnum):
    APPROVED = "approved"  #: 承認
    CHANGES_REQUESTED = "changes_requested"  #: 修正依頼


class ItemReview(Model):
    """A committee member's review of one version of a certification-test item (§6(2)ア 監修).

    The version is the item's content hash: editing the item in git makes a new version, which
    needs its own approval. The latest review of a version decides its state.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(String(80), index=True)
    #: sha256 of the item's definition (see lms.assessment.itemreview.item_version)
    version: Mapped[str] = mapped_column(String(64))
    status: Mapped[ReviewStatus] = mapped_column(enum_type(ReviewStatus))
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TimeAccommodation(Model):
    """Extra time on every timed test for one trainee (時間延長の合理的配慮), granted by an admin.

    WCAG 2.2.1: a trainee who needs more time (a disability, reading in a second language) asks
    the secretariat before starting; the percentage lengthens each timed test's limit. Granting,
    changing and withdrawing it are audited.
    """

    __table_args__ = (
        CheckConstraint("extra_percent > 0 AND extra_percent <= 300",
                        name="percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: one accommodation per person: a change replaces it
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    #: how much longer than the test's own limit, in percent (50: one and a half times)
    extra_percent: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
