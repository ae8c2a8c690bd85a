"""Mail is queued with the change and delivered after commit; a failed send is kept for retry."""

import socket

import sqlalchemy as sa

from lms import mail
from lms.extensions import db
from lms.mail.models import OutgoingMail
from tests.auth.test_links import outbox


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_rolled_back_mail_is_never_sent(app):
    with app.app_context():
        mail.queue("a@example.jp", "件名", "本文")
        db.session.rollback()
        assert mail.deliver_pending() == (0, 0)
    assert outbox(app) == []


def test_committed_mail_goes_to_the_outbox_folder(app):
    with app.app_context():
        mail.queue("a@example.jp", "件名", "本文です")
        db.session.commit()
        assert mail.deliver_pending() == (1, 0)
    [message] = outbox(app)
    assert message["Subject"] == "件名"
    assert "本文です" in message.get_content()


def test_smtp_down_keeps_the_message_for_the_retry_job(app, runner):
    app.config["SMTP_HOST"] = "127.0.0.1"
    app.config["SMTP_PORT"] = free_port()  # nothing listens there
    with app.app_context():
        mail.queue("a@example.jp", "件名", "本文")
        db.session.commit()
        assert mail.deliver_pending() == (0, 1)
        row = db.session.execute(sa.select(OutgoingMail)).scalar_one()
        assert row.sent_at is None and row.attempts == 1 and row.last_error
    app.config["SMTP_HOST"] = ""
    result = runner.invoke(args=["lms", "mail-flush"])
    assert "sent 1, failed 0" in result.output
    assert len(outbox(app)) == 1
