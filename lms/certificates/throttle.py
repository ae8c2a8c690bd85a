"""Rate limit of the public verification page: a counter per client and minute in the database
(no new dependency, shared by every worker process)."""

from __future__ import annotations

import hashlib

from flask import current_app, request
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from lms.certificates.models import VerificationHit
from lms.extensions import db, rowcount
from lms.timeutil import utcnow


def _minute() -> int:
    return int(utcnow().timestamp()) // 60


def allow() -> bool:
    """Count this request; False once the client made more than the limit this minute.
    Flushes; the view commits at once, so the count holds whatever the page does next."""
    # The address is hashed: the table keeps no personal data.
    client = hashlib.sha256((request.remote_addr or "?").encode()).hexdigest()[:32]
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(VerificationHit)
    count = db.session.execute(
        insert.values(client=client, minute=_minute(), count=1)
        .on_conflict_do_update(index_elements=["client", "minute"],
                               set_={"count": VerificationHit.count + 1})
        .returning(VerificationHit.count)).scalar_one()
    return count <= current_app.config["CERT_VERIFY_PER_MINUTE"]


def forget_old() -> int:
    """Delete counters older than an hour (the daily job calls this)."""
    return rowcount(db.session.execute(
        delete(VerificationHit).where(VerificationHit.minute < _minute() - 60)))
