"""Applications to a cohort (受講申込): the applicant's post, experience, qualifications and
evidence, the rule's verdict, and the office's decisions."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.extensions import Model, enum_type
from lms.timeutil import UTCDateTime, utcnow


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  #: 差戻し: to be corrected by ``correction_due``
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    LAPSED = "lapsed"  #: returned and not corrected in time


class PostRole(enum.StrEnum):
    HANDLES = "handles"  #: 相談対応を行う
    ADVISES = "advises"  #: 相談対応者への助言・指導を行う


class EvidenceFile(Model):
    """An uploaded evidence document (在職証明書, 資格登録証の写し), stored outside the web root."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True)
    #: the name the applicant's file had
    original_name: Mapped[str] = mapped_column(String(200))
    #: path under ``UPLOAD_DIR``
    stored_path: Mapped[str] = mapped_column(String(300))
    #: detected from the content, never from the name
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column()
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Application(Model):
    """One person's application to one cohort."""

    __table_args__ = (
        UniqueConstraint("user_id", "cohort_id", name="application_user_cohort"),
        CheckConstraint("status != 'returned' OR correction_due IS NOT NULL",
                        name="returned_has_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"),
                                           index=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_type(ApplicationStatus), default=ApplicationStatus.DRAFT, index=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    #: フリガナ, full-width katakana
    furigana: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    prefecture: Mapped[str] = mapped_column(String(10), default="")
    #: §4(1) desk code of the current post: "1-1", "1-2", or "other"
    post_desk: Mapped[str | None] = mapped_column(String(10))
    post_role: Mapped[PostRole | None] = mapped_column(enum_type(PostRole))
    #: the rule's verdict on the last saved content, and the rules version that gave it
    eligible: Mapped[bool | None] = mapped_column()
    days_in_post: Mapped[int | None] = mapped_column()
    days_worked: Mapped[int | None] = mapped_column()
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    rules_version: Mapped[str | None] = mapped_column(String(60))
    #: what the office asked to correct, and by when (差戻し)
    correction_note: Mapped[str | None] = mapped_column(String(1000))
    correction_due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    cohort: Mapped[Cohort] = relationship()
    periods: Mapped[list[ExperiencePeriod]] = relationship(
        back_populates="application", cascade="all, delete-orphan",
        order_by="ExperiencePeriod.id")
    qualifications: Mapped[list[Qualification]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Qualification.id")
    decisions: Mapped[list[ApplicationDecision]] = relationship(
        back_populates="application", cascade="all, delete-orphan",
        order_by="ApplicationDecision.id")

    @property
    def evidenced_items(self) -> list[ExperiencePeriod | Qualification]:
        """The periods and qualifications, each of which needs a proof file."""
        return [*self.periods, *self.qualifications]

    @property
    def evidence_missing(self) -> bool:
        return any(item.evidence_id is None for item in self.evidenced_items)


class ExperiencePeriod(Model):
    """A period in post at a consultation desk (§4(2)), declared with its working days."""

    __table_args__ = (
        CheckConstraint("end_on IS NULL OR start_on IS NULL OR start_on <= end_on",
                        name="period_order"),
        CheckConstraint("days_worked IS NULL OR days_worked >= 0", name="days_worked_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True)
    #: "2-1" … "2-4", or "other" (a desk that does not qualify)
    desk: Mapped[str | None] = mapped_column(String(10))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    start_on: Mapped[date | None] = mapped_column(Date)
    #: None with ``ongoing`` = 現在に至る
    end_on: Mapped[date | None] = mapped_column(Date)
    ongoing: Mapped[bool] = mapped_column(default=False)
    #: 従業日数 inside the five-year window, as declared
    days_worked: Mapped[int | None] = mapped_column()
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence_file.id", ondelete="SET NULL"))

    application: Mapped[Application] = relationship(back_populates="periods")
    evidence: Mapped[EvidenceFile | None] = relationship()


class Qualification(Model):
    """A national qualification held (§4 exemption), with its registration."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    registration_number: Mapped[str] = mapped_column(String(60), default="")
    registered_on: Mapped[date | None] = mapped_column(Date)
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence_file.id", ondelete="SET NULL"))

    application: Mapped[Application] = relationship(back_populates="qualifications")
    evidence: Mapped[EvidenceFile | None] = relationship()


class DecisionKind(enum.StrEnum):
    RETURNED = "returned"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    LAPSED = "lapsed"


class ApplicationDecision(Model):
    """One decision of the office on an application, with the verdict it saw."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DecisionKind] = mapped_column(enum_type(DecisionKind))
    #: the coded reason of a rejection (see ``services.REJECT_REASONS``)
    reason_code: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(1000))
    correction_due: Mapped[date | None] = mapped_column(Date)
    #: None when the lapse job decided
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the rule's verdict and its version at the time of the decision
    eligible: Mapped[bool | None] = mapped_column()
    rules_version: Mapped[str | None] = mapped_column(String(60))

    application: Mapped[Application] = relationship(back_populates="decisions")
    decided_by: Mapped[User | None] = relationship()
