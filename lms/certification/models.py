"""The committee's certification decision (修了認定の決定, §6(2)) per enrolment.

The committee's members vote (see the certification services); once a quorum agrees, one
:class:`CertificationDecision` row records the outcome. Certificates (``lms.certificates``) are
issued from decisions whose outcome is ``certified``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.cohorts.models import Enrolment
from lms.extensions import Model, enum_type
from lms.timeutil import UTCDateTime, utcnow


class Outcome(enum.StrEnum):
    CERTIFIED = "certified"  #: 修了認定
    NOT_CERTIFIED = "not_certified"  #: 不認定
    HOLD = "hold"  #: 保留


class CertificationDecision(Model):
    """The committee's final decision on one enrolment (one row; a later decision replaces it
    only through the certification services, which audit the change)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), unique=True)
    outcome: Mapped[Outcome] = mapped_column(enum_type(Outcome))
    #: 認定日: the date (Tokyo) the committee decided; validity is computed from it
    decided_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: version of the certification rules applied (e.g. "2025-02-27")
    rule_version: Mapped[str] = mapped_column(String(40))
    #: the member whose vote completed the quorum
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enrolment: Mapped[Enrolment] = relationship()
    decided_by: Mapped[User | None] = relationship()


class CertificationTestDecision(Model):
    """The committee's pass or fail of a trainee's certification test (§6(2)ア 合否).

    Until this row exists the attempt shows a score only and its pass counts nowhere.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), unique=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"))
    passed: Mapped[bool]
    #: why the committee departed from the proposed result, or any other remark
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enrolment: Mapped[Enrolment] = relationship()
    decided_by: Mapped[User | None] = relationship()


class Declaration(Model):
    """A candidate's disqualification declaration (欠格事由の申告, §6(1) ア–エ).

    要配慮個人情報: only committee members and administrators read it, each read is audited,
    and it never appears in exports, statements, mail or logs.
    """

    __table_args__ = (
        CheckConstraint("ground_b OR ground_b_since IS NULL", name="b_since_only_if_applies"),
        CheckConstraint("ground_c OR ground_c_since IS NULL", name="c_since_only_if_applies"),
        CheckConstraint("ground_d OR ground_d_since IS NULL", name="d_since_only_if_applies"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), unique=True)
    #: ア mental impairment preventing the work's cognition, judgement and communication
    ground_a: Mapped[bool] = mapped_column(default=False)
    #: イ fine or heavier under the Immigration Control Act or the Technical Intern Training Act
    ground_b: Mapped[bool] = mapped_column(default=False)
    #: the day that sentence was served or ceased to apply (None: not yet)
    ground_b_since: Mapped[date | None] = mapped_column(Date)
    #: ウ imprisonment or heavier under any other law
    ground_c: Mapped[bool] = mapped_column(default=False)
    ground_c_since: Mapped[date | None] = mapped_column(Date)
    #: エ this certification revoked before
    ground_d: Mapped[bool] = mapped_column(default=False)
    ground_d_since: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enrolment: Mapped[Enrolment] = relationship()


class CertificationVote(Model):
    """One committee member's vote on one enrolment; a quorum of equal votes decides."""

    __table_args__ = (UniqueConstraint("enrolment_id", "member_id", name="one_vote_per_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    outcome: Mapped[Outcome] = mapped_column(enum_type(Outcome))
    reason: Mapped[str] = mapped_column(Text, default="")
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member: Mapped[User] = relationship()
