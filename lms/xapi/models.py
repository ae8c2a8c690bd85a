"""The statement store: the LMS's own statements and, later, those posted by LRS clients."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class Statement(db.Model):
    """One xAPI statement, stored whole with the columns the LRS filters need."""

    #: store order; the outbox forwards in this order
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    #: the statement's own UUID
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime())
    #: canonical agent key: ``account:<homePage>|<name>``, ``mbox:<iri>`` …
    actor_key: Mapped[str] = mapped_column(String(300), index=True)
    verb_id: Mapped[str] = mapped_column(String(300), index=True)
    object_id: Mapped[str] = mapped_column(String(500), index=True)
    registration: Mapped[str | None] = mapped_column(String(36), index=True)
    voided: Mapped[bool] = mapped_column(default=False)
    #: ``lms`` for statements the LMS emitted, else the LRS client's key
    source: Mapped[str] = mapped_column(String(60), default="lms")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
