"""The statement store: the LMS's own statements and those posted by LRS clients."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import Model
from lms.timeutil import UTCDateTime, utcnow

JSONDocument = JSON().with_variant(JSONB(), "postgresql")
SeqType = BigInteger().with_variant(Integer(), "sqlite")


class Statement(Model):
    """One xAPI statement, stored whole with the columns the LRS filters need."""

    __table_args__ = (
        Index("ix_statement_verb_seq", "verb_id", "seq"),
        Index("ix_statement_registration_seq", "registration", "seq"),
        Index("ix_statement_actor_seq", "actor_key", "seq"),
        Index("ix_statement_object_seq", "object_id", "seq"),
    )

    #: store order; ``more`` pages and the forwarding outbox follow it
    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    #: the statement's own UUID
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime())
    #: :func:`lms.xapi.index.agent_key` of the actor
    actor_key: Mapped[str] = mapped_column(String(300))
    verb_id: Mapped[str] = mapped_column(String(500))
    #: activity IRI, agent key or statement id of the object (:func:`~lms.xapi.index.object_key`)
    object_id: Mapped[str] = mapped_column(String(500))
    registration: Mapped[str | None] = mapped_column(String(36))
    #: the statement id this one targets by StatementRef (voiding statements among them)
    ref_target: Mapped[str | None] = mapped_column(String(36), index=True)
    voided: Mapped[bool] = mapped_column(default=False)
    #: ``lms`` for statements the LMS emitted, else the LRS client's key
    source: Mapped[str] = mapped_column(String(60), default="lms")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class StatementRef(Model):
    """An agent or activity a statement mentions; the ``agent``/``activity`` filters read it."""

    __table_args__ = (Index("ix_statement_ref_lookup", "key", "kind", "statement_seq"),)

    id: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    statement_seq: Mapped[int] = mapped_column(
        SeqType, ForeignKey("statement.seq", ondelete="CASCADE"), index=True)
    #: :class:`lms.xapi.index.RefKind`
    kind: Mapped[int] = mapped_column(SmallInteger)
    key: Mapped[str] = mapped_column(String(500))


class StatementTally(Model):
    """How many statements were stored on one Tokyo day with one verb (the browser's charts).

    Kept by :func:`lms.xapi.store.save` in the statements' transaction, so the 14-day charts
    read a few hundred rows instead of scanning the store.
    """

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    verb_id: Mapped[str] = mapped_column(String(500), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class StatementAttachment(Model):
    """An attachment's raw content, stored once per SHA-256 however many statements use it."""

    sha2: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class OutboxEntry(Model):
    """A stored statement not yet forwarded to the external LRS (or parked as dead)."""

    statement_seq: Mapped[int] = mapped_column(
        SeqType, ForeignKey("statement.seq", ondelete="CASCADE"), primary_key=True)
    #: set when the external LRS rejected the statement (400): a dead letter
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class ForwarderState(Model):
    """The one forwarder's lease, back-off and counters (a single row, id 1)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: who holds the lease, until when; a second ``flask lms xapi-forward`` backs off
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: consecutive failed attempts; the back-off doubles with each
    failures: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    forwarded_total: Mapped[int] = mapped_column(BigInteger, default=0)
