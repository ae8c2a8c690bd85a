"""Where the LRS request rate (``XAPI_RATE_LIMIT``) is counted (``RATE_LIMIT_STORAGE``).

``memory``: in each process (development; N processes allow N times the rate). ``database``:
one counter row per client and window in the LMS's own database, shared by every worker of
every instance — the rate holds however many servers run, with no service but PostgreSQL.
Any other value is a storage URI of the ``limits`` library (``redis://host:6379`` when its
client package is installed).

The counter is a fixed window, incremented by one atomic upsert on its own short transaction
(never the request's): ``count + 1`` while the window runs, ``1`` and a new window once it
ended.
"""

from __future__ import annotations

import hashlib
import random
import time
from typing import cast

from limits.storage import Storage
from sqlalchemy import Float, String, Table, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import Model, db

#: the scheme the ``database`` setting stands for
SCHEME = "lmsdb"
#: one increment in this many also deletes counters whose window ended long ago
SWEEP_ONE_IN = 500


class RateLimitCounter(Model):
    """One rate-limit window: how many requests a client made in it, and when it ends."""

    #: sha256 of the limiter's key (client key or address and the limit): no personal data
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    #: Unix time at which the window ends
    expires_at: Mapped[float] = mapped_column(Float)


def storage_uri(setting: str, production: bool) -> str:
    """The ``limits`` storage URI for the setting; empty: the database in production, else
    memory."""
    value = setting.strip() or ("database" if production else "memory")
    return {"memory": "memory://", "database": f"{SCHEME}://"}.get(value, value)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    """A ``limits`` storage whose counters are rows of ``rate_limit_counter``."""

    STORAGE_SCHEME = [SCHEME]

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        table = cast(Table, RateLimitCounter.__table__)  # a mapped class's table is a Table
        with db.engine.begin() as conn:
            insert = (postgresql.insert if conn.dialect.name == "postgresql"
                      else sqlite.insert)(table)
            running = table.c.expires_at > now
            count = conn.execute(
                insert.values(key=_digest(key), count=amount, expires_at=now + expiry)
                .on_conflict_do_update(index_elements=["key"], set_={
                    "count": case((running, table.c.count + amount), else_=amount),
                    "expires_at": case((running, table.c.expires_at), else_=now + expiry)})
                .returning(table.c.count)).scalar_one()
            if random.randrange(SWEEP_ONE_IN) == 0:
                conn.execute(delete(table).where(table.c.expires_at < now - 3600))
        return count

    def _row(self, key: str):
        with db.engine.connect() as conn:
            return conn.execute(select(RateLimitCounter.count, RateLimitCounter.expires_at)
                                .where(RateLimitCounter.key == _digest(key))).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row and row.expires_at > time.time() else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            return conn.execute(delete(RateLimitCounter)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(delete(RateLimitCounter).where(RateLimitCounter.key == _digest(key)))
