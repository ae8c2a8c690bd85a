"""The practice stage (実践): reports with their versions and reviews, daily reflections,
deadline extensions and the notices the deadlines job has sent."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import Model, enum_type
from lms.timeutil import UTCDateTime, utcnow


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  #: 差戻し: to be revised by a new due date
    ACCEPTED = "accepted"


class PracticeReport(Model):
    """One trainee's goal sheet (取組目標), progress report (課題への取組状況報告) or final
    report (課題レポート): the working copy, and its status."""

    __table_args__ = (UniqueConstraint("enrolment_id", "kind", name="enrolment_kind"),
                      # the review queue finds the reports awaiting review without a scan
                      Index("ix_practice_report_status", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"),
                                              index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: goal | progress | final
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[ReportStatus] = mapped_column(enum_type(ReportStatus),
                                                 default=ReportStatus.DRAFT)
    #: the working copy: the draft being written, or what was last submitted
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    draft_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: a due date set when the report was returned for revision; None = the cohort's date
    revision_due_on: Mapped[date | None] = mapped_column(Date)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", order_by="ReportVersion.number", cascade="all, delete-orphan")
    reviews: Mapped[list[ReportReview]] = relationship(
        back_populates="report", order_by="ReportReview.id", cascade="all, delete-orphan")


class ReportVersion(Model):
    """A submitted version, kept whatever happens to the report afterwards."""

    __table_args__ = (UniqueConstraint("report_id", "number", name="report_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("practice_report.id", ondelete="CASCADE"),
                                           index=True)
    number: Mapped[int]
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    report: Mapped[PracticeReport] = relationship(back_populates="versions")


class ReportReview(Model):
    """An instructor's decision on a submitted version: returned (with a new due date) or
    accepted, with a comment."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("practice_report.id", ondelete="CASCADE"),
                                           index=True)
    version_number: Mapped[int]
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decision: Mapped[ReportStatus] = mapped_column(enum_type(ReportStatus))
    comment: Mapped[str] = mapped_column(Text, default="")
    new_due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    report: Mapped[PracticeReport] = relationship(back_populates="reviews")


class Reflection(Model):
    """One day's reflection entry (日々の振り返りと省察)."""

    __table_args__ = (UniqueConstraint("enrolment_id", "entry_date", name="enrolment_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"),
                                              index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    entry_date: Mapped[date] = mapped_column(Date)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DeadlineExtension(Model):
    """A later due date for one report of one trainee, granted by an administrator."""

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"),
                                              index=True)
    kind: Mapped[str] = mapped_column(String(20))
    until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DeadlineNotice(Model):
    """A reminder or withdrawal notice already sent: the job sends each exactly once."""

    __table_args__ = (UniqueConstraint("enrolment_id", "kind", "notice", name="once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    #: reminder-7, reminder-1, withdrawn …
    notice: Mapped[str] = mapped_column(String(30))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
