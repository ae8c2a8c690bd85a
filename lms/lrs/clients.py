"""Create and revoke LRS clients (services: flush, the caller commits)."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select

from lms import audit
from lms.errors import UserError
from lms.extensions import db
from lms.lrs.models import LrsClient
from lms.lrs.protocol import hash_secret
from lms.timeutil import utcnow
from lms.xapi.store import LMS_SOURCE

KEY_RE = re.compile(r"^[A-Za-z0-9._-]{3,60}$")


class ClientError(UserError, ValueError):
    """The client cannot be created or changed as asked; ``code`` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def create(actor, name: str, *, key: str | None = None, secret: str | None = None,
           read: bool = True, write: bool = True) -> tuple[LrsClient, str]:
    """Create a client and return it with its secret (shown once, stored only as a hash)."""
    name = name.strip()
    if not name:
        raise ClientError("name_required")
    key = key or "lrs-" + secrets.token_hex(6)
    if not KEY_RE.match(key):
        raise ClientError("bad_key")
    if not (read or write):
        raise ClientError("no_scope")
    if key == LMS_SOURCE or db.session.scalar(select(LrsClient.id).where(LrsClient.key == key)):
        raise ClientError("key_taken")
    secret = secret or secrets.token_urlsafe(24)
    client = LrsClient(key=key, name=name[:120], secret_hash=hash_secret(secret),
                       can_read=read, can_write=write)
    db.session.add(client)
    db.session.flush()
    audit.record(actor, "lrs_client.create", client, {"key": key, "read": read, "write": write})
    return client, secret


def revoke(actor, client: LrsClient) -> None:
    """Refuse the client's credentials from now on (kept for the usage history)."""
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        audit.record(actor, "lrs_client.revoke", client, {"key": client.key})
    db.session.flush()


def set_trust(actor, client: LrsClient, verbs: list[str], activities: list[str]) -> None:
    """Trust *client*'s statements with one of *verbs* about one of *activities* as
    certification evidence (empty lists: trust nothing); audited."""
    verbs = sorted({v.strip() for v in verbs if v.strip()})
    activities = sorted({a.strip() for a in activities if a.strip()})
    if any(len(iri) > 500 or " " in iri for iri in verbs + activities):
        raise ClientError("bad_iri")
    before = {"verbs": client.trusted_verbs.split(),
              "activities": client.trusted_activities.split()}
    client.trusted_verbs, client.trusted_activities = "\n".join(verbs), "\n".join(activities)
    after = {"verbs": verbs, "activities": activities}
    if after != before:
        audit.record(actor, "lrs_client.trust", client, {"key": client.key, "before": before,
                                                         "after": after})
    db.session.flush()


def by_key(key: str) -> LrsClient | None:
    return db.session.execute(select(LrsClient).where(LrsClient.key == key)).scalar_one_or_none()


def listing() -> list[LrsClient]:
    """Every client, those still allowed first, in the order they were made."""
    return list(db.session.scalars(select(LrsClient).order_by(
        LrsClient.revoked_at.is_not(None), LrsClient.id)))
