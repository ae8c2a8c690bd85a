"""Queue mail in the caller's transaction; deliver it by SMTP, or to the outbox folder."""

from __future__ import annotations

import logging
import os
import smtplib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask, current_app
from sqlalchemy import event, update

from lms.extensions import db, rowcount
from lms.mail.models import OutgoingMail
from lms.timeutil import utcnow

log = logging.getLogger(__name__)
_PENDING_KEY = "lms_mail_pending"
_DELIVER_KEY = "lms_mail_deliver"


def queue(to: str, subject: str, body: str) -> OutgoingMail:
    """Add a message to the queue; it is sent only if the caller's transaction commits."""
    message = OutgoingMail(to=to, subject=subject, body=body)
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_PENDING_KEY, set()).add(message.id)
    return message


def _build(message: OutgoingMail, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="lms.local")
    email.set_content(message.body)
    return email


def _to_outbox(email: EmailMessage) -> None:
    outbox = current_app.config["MAIL_OUTBOX"]
    os.makedirs(outbox, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = os.path.join(outbox, f"{stamp}-{email['To'].replace('@', '_at_')}.eml")
    with open(path, "wb") as fh:
        fh.write(bytes(email))


@contextmanager
def _transport() -> Iterator[Callable[[EmailMessage], object]]:
    """One way of sending for a whole batch: the outbox folder, or one SMTP connection."""
    cfg = current_app.config
    if not cfg["SMTP_HOST"]:
        yield _to_outbox
        return
    with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=15) as smtp:
        if cfg["SMTP_STARTTLS"]:
            smtp.starttls()
        if cfg["SMTP_USER"]:
            smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
        yield smtp.send_message


def deliver_pending(ids: set[int] | None = None, limit: int | None = None) -> tuple[int, int]:
    """Send queued messages (all unsent ones, or just *ids*; at most *limit*) over one
    connection; return (sent, failed). Commits.

    Rows are locked and skipped by other workers (PostgreSQL), so several may run at once.
    """
    query = db.select(OutgoingMail).where(OutgoingMail.sent_at.is_(None))
    if ids is not None:
        query = query.where(OutgoingMail.id.in_(ids))
    query = query.order_by(OutgoingMail.id).with_for_update(skip_locked=True)
    if limit is not None:
        query = query.limit(limit)
    batch = []
    for message in db.session.execute(query).scalars():
        # claim it: without row locks (SQLite) another run may have read the same rows, and
        # only one conditional UPDATE per attempt succeeds, so each message is sent once
        claimed = rowcount(db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id == message.id, OutgoingMail.sent_at.is_(None),
                   OutgoingMail.attempts == message.attempts)
            .values(attempts=OutgoingMail.attempts + 1)
            .execution_options(synchronize_session=False)))
        if claimed == 1:
            batch.append(message)
    sent = failed = 0
    handled: set[int] = set()
    try:
        with _transport() as send:
            for message in batch:
                try:
                    send(_build(message, current_app.config["MAIL_FROM"]))
                except smtplib.SMTPRecipientsRefused as exc:  # this address only
                    message.last_error = str(exc)[:500]
                    failed += 1
                    log.warning("mail %s to %s refused: %s", message.id, message.to, exc)
                else:
                    message.sent_at = utcnow()
                    sent += 1
                handled.add(message.id)
    except (OSError, smtplib.SMTPException) as exc:  # the connection: the rest waits
        for message in batch:
            if message.id not in handled:
                message.last_error = str(exc)[:500]
                failed += 1
        log.warning("mail batch not (fully) sent: %s", exc)
    db.session.commit()
    return sent, failed


def flush_loop(batch: int, interval: float, stop: Callable[[], bool] = lambda: False) -> None:
    """The mail worker: deliver batches until the queue is empty, then wait *interval* s."""
    while not stop():
        sent, _failed = deliver_pending(limit=batch)
        if sent < batch:  # the queue is empty, or the server is down: wait
            time.sleep(interval)


@event.listens_for(db.session, "after_commit")
def _after_commit(session) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if pending:
        session.info.setdefault(_DELIVER_KEY, set()).update(pending)


@event.listens_for(db.session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop(_PENDING_KEY, None)


def deliver_committed() -> None:
    """Send what the transactions committed so far queued (after a request or CLI command)."""
    pending = db.session.info.pop(_DELIVER_KEY, None)
    if pending:
        deliver_pending(pending)


def init_app(app: Flask) -> None:
    """Without an SMTP server (development), write each request's mail to the outbox folder
    before the response leaves, so ``make run`` needs no worker. With one, the request only
    queues: ``flask lms mail-flush --loop`` (or the cron job) delivers."""

    @app.after_request
    def _deliver(response):
        if not app.config["SMTP_HOST"]:
            deliver_committed()
        else:  # left for the worker (the rows are unsent): nothing waits for the server
            db.session.info.pop(_DELIVER_KEY, None)
        return response
