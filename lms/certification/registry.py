"""The one call from the committee's review into the certificate registry (ground エ)."""

from __future__ import annotations

from datetime import date

from lms.certificates.services import latest_revocation_date as _latest


def latest_revocation_date(user_id: int) -> date | None:
    """Return the date this person's certification was last revoked (取消し), or None."""
    return _latest(user_id)
