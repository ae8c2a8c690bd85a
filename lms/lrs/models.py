"""LRS clients (HTTP Basic credentials with scopes) and the xAPI document resources."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import Model, enum_type
from lms.timeutil import UTCDateTime, utcnow


class LrsClient(Model):
    """A system allowed to read or write the LMS's LRS (``flask lms lrs-client create``)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the Basic-auth user name
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    #: ``salt$sha256(salt + secret)``: secrets are checked on every request, so a fast hash
    secret_hash: Mapped[str] = mapped_column(String(200))
    can_read: Mapped[bool] = mapped_column(default=True)
    can_write: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requests: Mapped[int] = mapped_column(BigInteger, default=0)
    statements_written: Mapped[int] = mapped_column(BigInteger, default=0)
    #: verb IRIs, one a line, for which an administrator trusts this client's statements as
    #: certification evidence (with :attr:`trusted_activities`); empty: nothing counts
    trusted_verbs: Mapped[str] = mapped_column(Text, default="")
    #: activity IRIs, one a line, for which the trusted verbs count
    trusted_activities: Mapped[str] = mapped_column(Text, default="")

    def trusts(self, verb_id: str, activity_id: str) -> bool:
        """Whether a statement of this client with *verb_id* about *activity_id* counts."""
        return verb_id in self.trusted_verbs.split() and \
            activity_id in self.trusted_activities.split()

    @property
    def scopes(self) -> list[str]:
        return [s for s, on in (("read", self.can_read), ("write", self.can_write)) if on]


class DocumentKind(enum.StrEnum):
    STATE = "state"
    ACTIVITY_PROFILE = "activity_profile"
    AGENT_PROFILE = "agent_profile"


class XapiDocument(Model):
    """A State, Activity Profile or Agent Profile document; absent parts are stored as ''."""

    __table_args__ = (
        Index("ix_xapi_document_lookup", "kind", "activity_id", "agent_key", "registration",
              "doc_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_type(DocumentKind))
    activity_id: Mapped[str] = mapped_column(String(500), default="")
    agent_key: Mapped[str] = mapped_column(String(300), default="")
    registration: Mapped[str] = mapped_column(String(36), default="")
    #: stateId or profileId
    doc_id: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    etag: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
