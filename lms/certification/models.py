"""The committee's certification decision (修了認定の決定, §6(2)) per enrolment.

The committee's members vote (see the certification services); once a quorum agrees, one
:class:`CertificationDecision` row records the outcome. Certificates (``lms.certificates``) are
issued from decisions whose outcome is ``certified``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.cohorts.models import Enrolment
from lms.extensions import db, enum_type
from lms.timeutil import UTCDateTime, utcnow


class Outcome(enum.StrEnum):
    CERTIFIED = "certified"  #: 修了認定
    NOT_CERTIFIED = "not_certified"  #: 不認定
    HOLD = "hold"  #: 保留


class CertificationDecision(db.Model):
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
