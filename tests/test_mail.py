"""Mail is queued with the change and delivered after commit; a failed send is kept for retry."""

import socket

import sqlalchemy as sa

from lms import mail
from lms.extensions import db
from lms.mail.models import OutgoingMail
from tests.factories import outbox


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


class CountingInbox:
    """An SMTP server that counts connections and messages."""

    def __init__(self):
        self.connections = 0
        self.messages = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope.rcpt_tos)
        return "250 OK"


def test_with_smtp_a_request_only_queues_and_the_worker_sends_a_batch_per_connection(
        app, client, make_user, runner):
    from aiosmtpd.controller import Controller

    handler = CountingInbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port,
                          SMTP_STARTTLS=False)
        for n in range(3):
            make_user(f"u{n}@example.jp")
            client.post("/auth/forgot", data={"email": f"u{n}@example.jp"})
        assert handler.messages == []  # the clicks did not wait for the mail server
        result = runner.invoke(args=["lms", "mail-flush", "--batch", "2"])
        assert "sent 3, failed 0" in result.output
        assert len(handler.messages) == 3 and handler.connections == 2
        assert "sent 0, failed 0" in runner.invoke(args=["lms", "mail-flush"]).output
    finally:
        controller.stop()


def test_the_worker_loop_delivers_and_waits(app, monkeypatch):
    sleeps = []
    monkeypatch.setattr("lms.mail.services.time.sleep", sleeps.append)
    with app.app_context():
        mail.queue("a@example.jp", "件名", "本文")
        db.session.commit()
        mail.flush_loop(batch=10, interval=2.5, stop=lambda: len(sleeps) >= 1)
        assert db.session.execute(sa.select(OutgoingMail.sent_at)).scalar_one() is not None
    assert sleeps == [2.5] and len(outbox(app)) == 1
