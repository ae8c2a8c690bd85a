"""Certificates (認定証), their revocation, the holder's registry profile, and job claims.

A :class:`Certificate` row is the issue record and is immutable: a reissue (再交付) or a renewal
is a new row that supersedes the old one. Only the lapse date, set once by the daily job, is
ever written afterwards (see :data:`IMMUTABLE` and the guard in :mod:`lms.certificates.services`).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from lms.auth.models import User
from lms.certification.models import CertificationDecision
from lms.extensions import Model, enum_type
from lms.timeutil import UTCDateTime, utcnow


class IssueKind(enum.StrEnum):
    FIRST = "first"  #: 交付: the first certificate after the committee's decision
    REISSUE = "reissue"  #: 再交付: same validity, e.g. after a change of name
    RENEWAL = "renewal"  #: 更新: after the renewal training, a new validity period


class Certificate(Model):
    """One issued certificate (認定証): number, holder snapshot, dates, rule version, PDF."""

    __table_args__ = (
        UniqueConstraint("fiscal_year", "serial", name="serial_per_year"),
        # Exactly one first issue per decision, however many administrators click at once.
        Index("uq_certificate_first_issue", "decision_id", unique=True,
              postgresql_where=text("kind = 'first'"), sqlite_where=text("kind = 'first'")),
        CheckConstraint("(kind = 'first') = (supersedes_id IS NULL)",
                        name="supersedes_unless_first"),
        CheckConstraint("valid_until >= certified_on", name="valid_after_certified"),
        # the registry pages newest certification first (read backwards), then by number
        Index("ix_certificate_registry_order", "certified_on", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``FFFF-SSSS-C`` (rules.certificate_number): fiscal year of issue, serial, check digit
    number: Mapped[str] = mapped_column(String(11), unique=True)
    fiscal_year: Mapped[int]
    serial: Mapped[int]
    #: random, unguessable: the QR code's verification URL carries it
    token: Mapped[str] = mapped_column(String(43), unique=True)
    kind: Mapped[IssueKind] = mapped_column(enum_type(IssueKind))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("certification_decision.id", ondelete="RESTRICT"), index=True)
    #: the certificate this one replaces (reissue, renewal); each is replaced at most once
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate.id", ondelete="RESTRICT"), unique=True)
    #: holder snapshot as printed
    holder_name: Mapped[str] = mapped_column(String(120))
    holder_furigana: Mapped[str] = mapped_column(String(120), default="")
    holder_organisation: Mapped[str] = mapped_column(String(200), default="")
    holder_prefecture: Mapped[str] = mapped_column(String(10), default="")
    #: 認定日 (the committee's decision date)
    certified_on: Mapped[date] = mapped_column(Date)
    #: 有効期間の満了日 (§6(4))
    valid_until: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    rule_version: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    #: set once by the daily job when the period ended without renewal (失効)
    lapsed_on: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    decision: Mapped[CertificationDecision] = relationship()
    supersedes: Mapped[Certificate | None] = relationship(
        remote_side=[id], back_populates="superseded_by")
    superseded_by: Mapped[Certificate | None] = relationship(back_populates="supersedes")
    revocation: Mapped[Revocation | None] = relationship(back_populates="certificate",
                                                         lazy="selectin")


#: columns of the issue record that never change once written
IMMUTABLE = ("number", "fiscal_year", "serial", "token", "kind", "user_id", "decision_id",
             "supersedes_id", "holder_name", "holder_furigana", "holder_organisation",
             "holder_prefecture", "certified_on", "valid_until", "issued_on", "issued_at",
             "issued_by_id", "rule_version", "reason", "pdf_sha256", "pdf")


class RevocationGround(enum.StrEnum):
    """Why the agency revoked (§6: 取消し)."""

    DISQUALIFIED_AT_CERTIFICATION = "disqualified_at"  #: 欠格事由に該当していたのに認定を受けた
    DISQUALIFIED_LATER = "disqualified_later"  #: 認定後に欠格事由に該当した
    IMPROPER_MEANS = "improper_means"  #: 不正の手段により認定を受けた
    OTHER = "other"  #: その他


class Revocation(Model):
    """The revocation (取消し) of a certificate; the certificate row stays."""

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id", ondelete="RESTRICT"), unique=True)
    #: 取消日: the 2-year bar (ground エ) runs from it
    revoked_on: Mapped[date] = mapped_column(Date)
    ground: Mapped[RevocationGround] = mapped_column(enum_type(RevocationGround))
    note: Mapped[str] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    certificate: Mapped[Certificate] = relationship(back_populates="revocation")
    revoked_by: Mapped[User | None] = relationship()


class CertificateSerial(Model):
    """The last serial used in a fiscal year; incremented by one UPDATE so numbers never repeat."""

    fiscal_year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class HolderProfile(Model):
    """What the registry and the certificate need beyond the account: furigana, organisation,
    prefecture, and the consent to appear in the public organisation list (所属機関リスト)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    furigana: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    prefecture: Mapped[str] = mapped_column(String(10), default="")
    #: consent to list the organisation publicly; withdrawable by the holder at any time
    list_consent: Mapped[bool] = mapped_column(default=False)
    consent_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class CertificateNotice(Model):
    """A reminder or lapse notice already sent: the daily job sends each exactly once."""

    __table_args__ = (
        UniqueConstraint("certificate_id", "notice", name="certificate_notice_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id", ondelete="CASCADE"))
    #: reminder-6, reminder-3, reminder-1, lapsed
    notice: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VerificationHit(Model):
    """Requests to the public verification page per client and minute (the rate limit)."""

    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: the minute, as Unix time // 60
    minute: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(default=0)
