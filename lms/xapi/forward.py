"""Forward stored statements to an external LRS: in order, in batches, never lost.

Every stored statement gets an :class:`OutboxEntry` in its own transaction when forwarding is
configured. :func:`run` (``flask lms xapi-forward``) takes the one lease, sends the oldest
entries in store order, deletes what the LRS accepted and backs off exponentially when it is
down, slow or failing. A statement the LRS rejects (400) is parked as a dead letter, for an
administrator to inspect and retry, and the rest go on. Delivery is at-least-once over the
wire and exactly-once in the external store, because LRSs accept an identical re-sent
statement without storing it twice.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from lms.extensions import db, rowcount
from lms.timeutil import utcnow
from lms.xapi.models import ForwarderState, OutboxEntry, Statement
from lms.xapi.versions import for_version_1

LEASE = timedelta(seconds=120)
FORWARDED_KEYS = ("stored",)  # the external LRS sets its own


class Transient(Exception):
    """The LRS could not take the batch now (down, slow, 5xx, auth): try again later."""


class Rejected(Exception):
    """The LRS refused a statement as invalid (4xx other than auth)."""


@dataclass
class Summary:
    sent: int = 0
    dead: int = 0
    skipped: str | None = None  #: why nothing was tried (lease held, backing off)
    error: str | None = None
    batches: int = 0
    details: list[str] = field(default_factory=list)


def backoff(failures: int, base: float, cap: float) -> timedelta:
    """The wait after *failures* consecutive failures: base·2^(n-1), at most *cap* (pure)."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, failures - 1)))


def _state() -> ForwarderState:
    state = db.session.get(ForwarderState, 1)
    if state is None:
        db.session.add(ForwarderState(id=1))
        try:
            db.session.commit()
        except IntegrityError:  # another forwarder created it first
            db.session.rollback()
        state = db.session.get_one(ForwarderState, 1)
    return state


def _take_lease(owner: str, now: datetime) -> bool:
    _state()
    taken = rowcount(db.session.execute(
        update(ForwarderState).where(
            ForwarderState.id == 1,
            (ForwarderState.lease_until.is_(None)) | (ForwarderState.lease_until < now)
            | (ForwarderState.lease_owner == owner))
        .values(lease_owner=owner, lease_until=now + LEASE)
        .execution_options(synchronize_session=False))) == 1
    db.session.commit()
    return taken


def _release(owner: str) -> None:
    db.session.execute(update(ForwarderState).where(
        ForwarderState.id == 1, ForwarderState.lease_owner == owner)
        .values(lease_owner=None, lease_until=None).execution_options(synchronize_session=False))
    db.session.commit()


class LrsConnection:
    """POST statements to the external LRS's Statements resource."""

    def __init__(self, url: str, key: str, secret: str, timeout: float):
        self.url = url.rstrip("/") + "/statements"
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.timeout = timeout

    def _request(self, method: str, url: str, body: bytes | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(url, data=body, method=method, headers={
            "Authorization": self.auth, "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
        except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as exc:
            raise Transient(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from exc

    def post(self, statements: list[dict[str, Any]]) -> None:
        """Send a batch; raise Transient or Rejected unless the LRS stored (or had) them all."""
        status, body = self._request("POST", self.url, json.dumps(statements).encode())
        if status in (200, 204):
            return
        message = f"HTTP {status}: {body[:300].decode(errors='replace')}"
        if status in (400, 409, 413):
            raise Rejected(message)
        raise Transient(message)


def outgoing(payload: dict[str, Any]) -> dict[str, Any]:
    """The statement as a 1.0.3 LRS accepts it (a 2.0 client's statement loses 2.0 parts)."""
    return {k: v for k, v in for_version_1(payload).items() if k not in FORWARDED_KEYS}


def connection() -> LrsConnection:
    cfg = current_app.config
    return LrsConnection(cfg["XAPI_FORWARD_URL"], cfg["XAPI_FORWARD_KEY"],
                         cfg["XAPI_FORWARD_SECRET"], cfg["XAPI_FORWARD_TIMEOUT"])


def run(*, max_batches: int | None = None, ignore_backoff: bool = False) -> Summary:
    """Forward what is waiting, oldest first, until the outbox is empty or the LRS fails.

    Cron-safe and safe to run twice at once: only the holder of the lease sends.
    """
    summary = Summary()
    cfg = current_app.config
    if not cfg.get("XAPI_FORWARD_URL"):
        summary.skipped = "forwarding is not configured (LMS_XAPI_FORWARD_URL)"
        return summary
    now = utcnow()
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    if not _take_lease(owner, now):
        summary.skipped = "another forwarder holds the lease"
        return summary
    try:
        state = _state()
        if not ignore_backoff and state.next_attempt_at and state.next_attempt_at > now:
            summary.skipped = f"backing off until {state.next_attempt_at.isoformat()}"
            return summary
        lrs = connection()
        while max_batches is None or summary.batches < max_batches:
            batch = _next_batch(cfg["XAPI_FORWARD_BATCH"])
            if not batch:
                break
            summary.batches += 1
            try:
                _send(lrs, batch, summary)
            except Transient as exc:
                _failed(str(exc), summary)
                break
            _succeeded()
            if not _take_lease(owner, utcnow()):  # renew; lost only if we overran it
                summary.error = "the lease expired; another forwarder may have taken over"
                break
        return summary
    finally:
        db.session.rollback()
        _release(owner)


def _next_batch(size: int) -> list[tuple[int, dict[str, Any]]]:
    rows = db.session.execute(
        select(Statement.seq, Statement.payload).join(
            OutboxEntry, OutboxEntry.statement_seq == Statement.seq)
        .where(OutboxEntry.dead_at.is_(None)).order_by(Statement.seq).limit(size)).all()
    return [(r.seq, r.payload) for r in rows]


def _send(lrs: LrsConnection, batch: list[tuple[int, dict[str, Any]]], summary: Summary):
    """Send a batch; if the LRS rejects it, send one by one to find and park the bad ones."""
    try:
        lrs.post([outgoing(p) for _, p in batch])
    except Rejected as exc:
        if len(batch) == 1:
            _park(batch[0], exc, summary)
            return
        for seq, payload in batch:  # in order; a Transient failure stops here, resumes later
            try:
                lrs.post([outgoing(payload)])
            except Rejected as one:
                _park((seq, payload), one, summary)
                continue
            _delivered([seq])
            summary.sent += 1
        return
    _delivered([seq for seq, _ in batch])
    summary.sent += len(batch)


def _park(item: tuple[int, dict[str, Any]], exc: Exception, summary: Summary) -> None:
    seq, payload = item
    db.session.execute(update(OutboxEntry).where(OutboxEntry.statement_seq == seq).values(
        dead_at=utcnow(), attempts=OutboxEntry.attempts + 1, last_error=str(exc)[:2000]))
    db.session.commit()
    summary.dead += 1
    summary.details.append(f"dead letter: statement {payload['id']}: {exc}")


def _delivered(seqs: list[int]) -> None:
    db.session.execute(delete(OutboxEntry).where(OutboxEntry.statement_seq.in_(seqs)))
    db.session.execute(update(ForwarderState).where(ForwarderState.id == 1).values(
        forwarded_total=ForwarderState.forwarded_total + len(seqs)))
    db.session.commit()


def _succeeded() -> None:
    now = utcnow()
    db.session.execute(update(ForwarderState).where(ForwarderState.id == 1).values(
        failures=0, next_attempt_at=None, last_success_at=now, last_attempt_at=now))
    db.session.commit()


def _failed(message: str, summary: Summary) -> None:
    cfg = current_app.config
    state = _state()
    failures = state.failures + 1
    now = utcnow()
    wait = backoff(failures, cfg["XAPI_FORWARD_BACKOFF"], cfg["XAPI_FORWARD_BACKOFF_MAX"])
    db.session.execute(update(ForwarderState).where(ForwarderState.id == 1).values(
        failures=failures, next_attempt_at=now + wait, last_attempt_at=now,
        last_error=message[:2000]))
    db.session.commit()
    summary.error = f"{message} (retry in {wait.total_seconds():g} s)"


def retry_dead(seqs: list[int] | None = None) -> int:
    """Put dead letters back in the queue (all, or those of *seqs*); flushes."""
    stmt = update(OutboxEntry).where(OutboxEntry.dead_at.is_not(None))
    if seqs is not None:
        stmt = stmt.where(OutboxEntry.statement_seq.in_(seqs))
    count = rowcount(db.session.execute(stmt.values(dead_at=None, last_error=None)
                                        .execution_options(synchronize_session=False)))
    db.session.flush()
    return count


@dataclass
class Status:
    configured: bool
    url: str
    pending: int
    dead: int
    oldest_pending: datetime | None
    state: ForwarderState | None


def status() -> Status:
    """The outbox figures administrators see."""
    pending = db.session.scalar(select(func.count()).select_from(OutboxEntry)
                                .where(OutboxEntry.dead_at.is_(None))) or 0
    dead = db.session.scalar(select(func.count()).select_from(OutboxEntry)
                             .where(OutboxEntry.dead_at.is_not(None))) or 0
    oldest = db.session.scalar(select(func.min(Statement.stored_at)).join(
        OutboxEntry, OutboxEntry.statement_seq == Statement.seq)
        .where(OutboxEntry.dead_at.is_(None)))
    url = current_app.config.get("XAPI_FORWARD_URL") or ""
    return Status(bool(url), url, pending, dead, oldest, db.session.get(ForwarderState, 1))


def entry(seq: int) -> OutboxEntry | None:
    """The statement's place in the outbox (waiting or dead), or None once forwarded."""
    return db.session.get(OutboxEntry, seq)


def dead_letters(limit: int = 100) -> list[tuple[OutboxEntry, Statement]]:
    """The statements the external LRS refused, oldest first, with their outbox entries."""
    return [(e, s) for e, s in db.session.execute(
        select(OutboxEntry, Statement).join(Statement, Statement.seq == OutboxEntry.statement_seq)
        .where(OutboxEntry.dead_at.is_not(None)).order_by(OutboxEntry.statement_seq)
        .limit(limit)).all()]
