"""Notifications reach a real SMTP server (aiosmtpd, in-process): recipient, language, Tokyo
times and links as the pages show them."""

from __future__ import annotations

import re
import socket
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from lms import mail
from lms.assessment.services import finish, quiz_by_slug, start_attempt
from lms.assessment.sync import sync_quizzes
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.cohorts.services import current_enrolment, enrol
from lms.content.sync import sync_modules
from lms.demo import sit_quiz
from lms.extensions import db
from lms.notify import Kind, notify, register_kind
from lms.practice import deadlines, services
from lms.practice.models import ReportStatus
from lms.security import Role
from lms.templating import N_
from tests.conftest import authoring_copy


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for rcpts, m in self.messages if address in rcpts]


@pytest.fixture
def inbox(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False)
    yield handler
    controller.stop()


@pytest.fixture
def cohort(app, tmp_path, make_user, make_cohort):
    """A cohort whose progress report is due in 7 days; one Japanese, one English trainee."""
    root = authoring_copy(tmp_path)
    app.config["CONTENT_DIR"] = str(root)
    cid = make_cohort(date.today() - timedelta(days=98))
    ids = {"ja": make_user("hanako@example.jp", Role.TRAINEE, name="日本 花子"),
           "en": make_user("alex@example.jp", Role.TRAINEE, name="Alex Smith", locale="en")}
    with app.app_context():
        sync_modules(root)
        sync_quizzes(root.parent)
        for uid in ids.values():
            user = db.session.get(User, uid)
            enrol(None, db.session.get(Cohort, cid), user)
            sit_quiz(user, "comprehensive", passing=True)
        db.session.commit()
    return ids


def _deliver():
    mail.deliver_committed()


def test_deadline_reminder_in_each_readers_language_with_link(app, inbox, cohort):
    with app.app_context():
        inbox.messages.clear()
        run = deadlines.run(date.today())
        db.session.commit()
        _deliver()
    assert {(kind, days) for _e, kind, days in run.reminded} == {("progress", 7)}
    due = date.today() + timedelta(days=7)
    [ja] = inbox.to("hanako@example.jp")
    assert ja["Subject"].startswith("【リマインド】") and "あと7日" in ja["Subject"]
    body = ja.get_content()
    assert "日本 花子 様" in body and "提出期限は" in body and f"{due:%Y/%m/%d}" in body
    assert "http://lms.test/practice/" in body
    [en] = inbox.to("alex@example.jp")
    assert en["Subject"].startswith("Reminder:") and "due in 7 days" in en["Subject"]
    assert f"{due:%b} {due.day}, {due.year}" in en.get_content()


def test_report_return_names_the_new_due_date_and_links_to_the_report(app, inbox, cohort,
                                                                      make_user):
    reviewer_id = make_user("teacher@example.jp", Role.INSTRUCTOR)
    with app.app_context():
        trainee = db.session.get(User, cohort["ja"])
        enrolment = current_enrolment(trainee)
        report = services.report_for(enrolment, "goal")
        report.status, report.values = ReportStatus.SUBMITTED, {"x": "y"}
        db.session.flush()
        new_due = date.today() + timedelta(days=10)
        inbox.messages.clear()
        services.review(db.session.get(User, reviewer_id), report, ReportStatus.RETURNED,
                        "具体的に書き直してください。", new_due, due_reason="書き直しに10日")
        db.session.commit()
        _deliver()
    [message] = inbox.to("hanako@example.jp")
    assert "差し戻" in message["Subject"]
    body = message.get_content()
    assert "修正のうえ" in body and f"{new_due:%Y/%m/%d} までに再提出" in body
    assert "具体的に書き直してください。" in body
    assert "http://lms.test/practice/" in body


def test_test_result_time_is_tokyo_time(app, inbox, cohort):
    finished = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)  # 2026/03/02 00:30 in Tokyo
    with app.app_context():
        trainee = db.session.get(User, cohort["ja"])
        attempt = start_attempt(trainee, quiz_by_slug("group-a"))
        inbox.messages.clear()
        finish(attempt, now=finished)
        db.session.commit()
        _deliver()
    [message] = inbox.to("hanako@example.jp")
    assert message["Subject"].startswith("【テスト結果】")
    assert "2026/03/02 00:30" in message.get_content()
    assert "http://lms.test/quizzes/" in message.get_content()


def test_certificate_issued_mail(app, inbox, cohort):
    """The certificates feature calls notify(holder, "certificate_issued", ...) on issue."""
    with app.app_context():
        trainee = db.session.get(User, cohort["ja"])
        inbox.messages.clear()
        notify(trainee, "certificate_issued", link="http://lms.test/certificates/mine",
               number="C-2026-0001", until=date(2029, 3, 31))
        db.session.commit()
        _deliver()
    [message] = inbox.to("hanako@example.jp")
    assert message["Subject"] == "認定証を交付しました"
    body = message.get_content()
    assert "日本 花子 様" in body and "C-2026-0001" in body and "2029/03/31 まで" in body
    assert "http://lms.test/certificates/mine" in body


def test_a_new_kind_plugs_in_with_one_registration(app, inbox, cohort):
    register_kind(Kind("example_kind", N_("Example"),
                       N_("%(name)s,\n\nSomething happened on %(day)s.\n")))
    with app.app_context():
        trainee = db.session.get(User, cohort["en"])
        inbox.messages.clear()
        notify(trainee, "example_kind", link="http://lms.test/x", day=date(2026, 4, 1))
        db.session.commit()
        _deliver()
    [message] = inbox.to("alex@example.jp")
    body = message.get_content()
    assert "Alex Smith" in body and "Apr 1, 2026" in body and "http://lms.test/x" in body


def test_the_in_app_list_counts_unread_and_marks_them_read(app, client, auth, cohort):
    with app.app_context():
        trainee = db.session.get(User, cohort["ja"])
        notify(trainee, "session_changed", link="http://lms.test/course2/", title="第1回")
        db.session.commit()
    auth.login("hanako@example.jp")
    page = client.get("/notifications/").text
    # the test result of the set-up, and this one
    assert re.search(r'id="unread-count"[^>]*>2<', page)
    assert "「第1回」の内容" in page
    client.post("/notifications/read")
    assert 'id="unread-count"' not in client.get("/notifications/").text


def test_seat_offer_gives_its_deadline_in_tokyo_time_and_expiry_is_told(app, inbox,
                                                                        make_cohort, make_user):
    from lms.booking import services as booking
    from lms.booking.models import CourseSession
    from lms.timeutil import TOKYO, utcnow
    from tests.factories import make_session, trainees
    cid = make_cohort(date.today() - timedelta(days=150), name="予約の期")
    sid = make_session(app, cid, capacity=1)
    a, b, c = trainees(app, make_user, cid, 3)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        for uid in (a, b, c):
            booking.book(db.session.get(User, uid), session)
        db.session.commit()
        inbox.messages.clear()
        mine = db.session.execute(db.select(booking.SessionBooking).filter_by(
            user_id=a)).unique().scalar_one()
        booking.cancel(db.session.get(User, a), mine)
        db.session.commit()
        _deliver()
        offered = db.session.get(User, b).email
        deadline = db.session.execute(db.select(booking.SessionBooking).filter_by(
            user_id=b)).unique().scalar_one().offer_expires_at
        [offer] = inbox.to(offered)
        assert f"{deadline.astimezone(TOKYO):%Y/%m/%d %H:%M} までに" in offer.get_content()
        assert "UTC" not in offer.get_content()
        booking.expire_offers(utcnow() + timedelta(hours=49))
        db.session.commit()
        _deliver()
    assert any(m["Subject"].startswith("【繰り上げ期限切れ】")
               for m in inbox.to(offered)[1:])
