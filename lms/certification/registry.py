"""The one call from the committee's review into the certificate registry (ground エ)."""

from __future__ import annotations

from datetime import date


def latest_revocation_date(user_id: int) -> date | None:
    """Return the date this person's certification was last revoked (取消し), or None.

    The registry is ``lms.certificates`` (built on the `certs` branch), which provides
    ``lms.certificates.services.latest_revocation_date(user_id) -> date | None``. Until both
    branches are merged that package does not exist here, and no revocation is known.
    Merge: this function may become a plain call to it.
    """
    try:
        from lms.certificates.services import latest_revocation_date as lookup
    except ModuleNotFoundError:
        return None
    return lookup(user_id)
