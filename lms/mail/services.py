"""Queue mail in the caller's transaction; deliver it by SMTP, or to the outbox folder."""

from __future__ import annotations

import logging
import os
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask, current_app
from sqlalchemy import event

from lms.extensions import db
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


def _send(email: EmailMessage) -> None:
    cfg = current_app.config
    if not cfg["SMTP_HOST"]:
        outbox = cfg["MAIL_OUTBOX"]
        os.makedirs(outbox, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        path = os.path.join(outbox, f"{stamp}-{email['To'].replace('@', '_at_')}.eml")
        with open(path, "wb") as fh:
            fh.write(bytes(email))
        return
    with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=15) as smtp:
        if cfg["SMTP_STARTTLS"]:
            smtp.starttls()
        if cfg["SMTP_USER"]:
            smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
        smtp.send_message(email)


def deliver_pending(ids: set[int] | None = None) -> tuple[int, int]:
    """Send queued messages (all unsent ones, or just *ids*); return (sent, failed). Commits."""
    query = db.select(OutgoingMail).where(OutgoingMail.sent_at.is_(None))
    if ids is not None:
        query = query.where(OutgoingMail.id.in_(ids))
    sent = failed = 0
    for message in db.session.execute(query.order_by(OutgoingMail.id)).scalars():
        message.attempts += 1
        try:
            _send(_build(message, current_app.config["MAIL_FROM"]))
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = str(exc)[:500]
            failed += 1
            log.warning("mail %s to %s not sent: %s", message.id, message.to, exc)
        else:
            message.sent_at = utcnow()
            sent += 1
    db.session.commit()
    return sent, failed


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
    """Deliver each request's committed mail before the response leaves."""

    @app.after_request
    def _deliver(response):
        deliver_committed()
        return response
