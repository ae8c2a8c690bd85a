"""Cohorts and enrolments."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.cohorts.rules import DATE_FIELDS
from lms.extensions import Model, enum_type
from lms.timeutil import UTCDateTime, utcnow


class Cohort(Model):
    """A cohort (期) of the programme with the dates of every stage."""

    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("course1_start <= course1_end", name="course1_window"),
        CheckConstraint("practice_start <= practice_end", name="practice_window"),
        CheckConstraint("course2_start <= course2_end", name="course2_window"),
        CheckConstraint("(applications_open IS NULL AND applications_close IS NULL) OR "
                        "(applications_open IS NOT NULL AND applications_close IS NOT NULL AND "
                        "applications_open <= applications_close)", name="application_window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    capacity: Mapped[int] = mapped_column(default=60)
    #: 研修開始日; the eligibility window (§4 注6) is the five years before it
    training_start: Mapped[date] = mapped_column(Date)
    course1_start: Mapped[date] = mapped_column(Date)
    course1_end: Mapped[date] = mapped_column(Date)
    practice_start: Mapped[date] = mapped_column(Date)
    practice_end: Mapped[date] = mapped_column(Date)
    #: the day the progress report (課題への取組状況報告) opens for writing
    progress_report_opens: Mapped[date] = mapped_column(Date)
    #: 課題への取組状況報告 due date
    progress_report_due: Mapped[date] = mapped_column(Date)
    #: 課題レポート due date
    final_report_due: Mapped[date] = mapped_column(Date)
    course2_start: Mapped[date] = mapped_column(Date)
    course2_end: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: 受講申込の受付期間, inclusive Tokyo dates; both None = applications not taken online
    applications_open: Mapped[date | None] = mapped_column(Date)
    applications_close: Mapped[date | None] = mapped_column(Date)

    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="Enrolment.id"
    )

    def dates(self) -> dict[str, date]:
        return {name: getattr(self, name) for name in DATE_FIELDS}


class EnrolmentStatus(enum.StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"  #: 辞退（扱い）
    COMPLETED = "completed"


class Enrolment(Model):
    """A trainee's place in a cohort; its UUID is the xAPI registration."""

    __table_args__ = (UniqueConstraint("user_id", "cohort_id", name="user_cohort"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration: Mapped[str] = mapped_column(
        String(36), unique=True, default=lambda: str(uuid.uuid4())
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    status: Mapped[EnrolmentStatus] = mapped_column(
        enum_type(EnrolmentStatus),
        default=EnrolmentStatus.ACTIVE,
    )
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: why: e.g. "progress report not submitted by 2027-02-20" (§5(2)イ(エ))
    withdrawal_reason: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship()
    cohort: Mapped[Cohort] = relationship(back_populates="enrolments", lazy="joined")
