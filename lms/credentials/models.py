"""Issued Open Badges 3.0 credentials, one per certificate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import Model
from lms.timeutil import UTCDateTime, utcnow


class BadgeCredential(Model):
    """The signed OpenBadgeCredential of one certificate (renewal or reissue: a new one).

    Its revocation bit is ``certificate_id`` in status list ``certificate_id // list size``.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id", ondelete="RESTRICT"), unique=True)
    #: ``urn:uuid:…``, the credential's ``id`` and the JWT's ``jti``
    credential_id: Mapped[str] = mapped_column(String(45), unique=True)
    #: the key that signed it (kept after rotation so the credential still verifies)
    kid: Mapped[str] = mapped_column(String(64))
    #: the compact VC-JWT as issued
    token: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: set when the certificate is revoked or superseded: the status bit is then 1
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
