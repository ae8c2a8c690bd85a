"""The one question the committee's review asks the certificate registry (ground エ).

Certificates are issued from certification decisions, so :mod:`lms.certificates` imports
this package and not the other way round: the registry answers by registering its function
with :func:`revocations`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

_ANSWERS: dict[str, Callable[[int], date | None]] = {}


def revocations(latest: Callable[[int], date | None]) -> Callable[[int], date | None]:
    """Register how to find a person's latest revocation date (a decorator)."""
    _ANSWERS["latest_revocation_date"] = latest
    return latest


def latest_revocation_date(user_id: int) -> date | None:
    """Return the date this person's certification was last revoked (取消し), or None.

    Without a registered certificate registry nobody was ever revoked.
    """
    latest = _ANSWERS.get("latest_revocation_date")
    return latest(user_id) if latest else None
