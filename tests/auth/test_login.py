"""Logging in and out, throttling, and the messages a person sees."""

from datetime import timedelta

import sqlalchemy as sa

from lms.auth.models import LoginThrottle, User
from lms.extensions import db
from lms.security import Role
from lms.timeutil import utcnow
from lms.xapi.models import Statement
from tests.conftest import text_of
from tests.factories import at_once

WRONG = "メールアドレスまたはパスワードが正しくありません。"
PAUSED = "ログインの失敗が続いたため"


def statements(app, verb_suffix: str) -> list[Statement]:
    with app.app_context():
        return list(db.session.execute(
            sa.select(Statement).where(Statement.verb_id.endswith(verb_suffix))).scalars())


def test_login_redirects_to_the_role_home_and_records_xapi(app, client, auth, make_user):
    make_user("t@example.jp", Role.TRAINEE)
    response = auth.login("T@Example.JP ")
    assert response.status_code == 302
    assert client.get("/").headers["Location"].endswith("/trainee/")
    page = client.get("/trainee/").get_data(as_text=True)
    assert "マイページ" in page
    [stmt] = statements(app, "logged-in")
    with app.app_context():
        user = db.session.execute(sa.select(User)).scalar_one()
        assert stmt.payload["actor"]["account"]["name"] == user.public_id
        assert "t@example.jp" not in str(stmt.payload)


def test_wrong_password_says_so_in_japanese_and_logs_nobody_in(client, auth, make_user):
    make_user("t@example.jp")
    response = auth.login("t@example.jp", "wrong-password-1", follow=True)
    assert WRONG in text_of(response.get_data(as_text=True))
    assert client.get("/trainee/").status_code == 302


def test_unknown_email_gets_the_same_message(client, auth):
    response = auth.login("nobody@example.jp", "whatever-123", follow=True)
    assert WRONG in text_of(response.get_data(as_text=True))


def test_five_failures_pause_the_address_even_for_the_right_password(app, auth, make_user):
    make_user("t@example.jp")
    for _ in range(4):
        assert WRONG in text_of(auth.login("t@example.jp", "nope-nope-1", True).text)
    fifth = text_of(auth.login("t@example.jp", "nope-nope-1", True).text)
    assert PAUSED in fifth
    sixth = auth.login("t@example.jp", follow=True)  # correct password, still paused
    assert PAUSED in text_of(sixth.text)
    assert "マイページ" not in sixth.text


def test_unknown_addresses_are_paused_alike_so_nothing_leaks(auth):
    for _ in range(5):
        page = auth.login("ghost@example.jp", "nope-nope-1", True).text
    assert PAUSED in text_of(page)


def test_the_pause_ends_after_the_lock_time(app, client, auth, make_user):
    make_user("t@example.jp")
    for _ in range(5):
        auth.login("t@example.jp", "nope-nope-1")
    with app.app_context():
        row = db.session.get(LoginThrottle, "email:t@example.jp")
        assert row.blocked_until - row.last_failure_at == timedelta(seconds=30)  # not 15 min
        row.blocked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert auth.login("t@example.jp").headers["Location"].endswith("/")
    with app.app_context():
        assert db.session.get(LoginThrottle, "email:t@example.jp") is None


def test_each_further_failure_pauses_longer_up_to_the_limit(app, auth, make_user):
    make_user("t@example.jp")
    pauses = []
    for _ in range(10):
        auth.login("t@example.jp", "nope-nope-1")
        with app.app_context():
            row = db.session.get(LoginThrottle, "email:t@example.jp")
            if row.blocked_until:
                pauses.append((row.blocked_until - row.last_failure_at).total_seconds())
                row.blocked_until = utcnow() - timedelta(seconds=1)  # waited it out
                db.session.commit()
    assert pauses == [30, 60, 120, 240, 480, 900]


def test_one_client_trying_many_addresses_is_paused(app, auth):
    app.config["LOGIN_IP_MAX_FAILURES"] = 6
    for n in range(6):
        page = auth.login(f"guess{n}@example.jp", "nope-nope-1", True).text
    assert "このネットワークからのログイン" in text_of(page)
    with app.app_context():
        assert db.session.get(LoginThrottle, "ip:127.0.0.1").failures == 6


def test_twenty_parallel_wrong_passwords_are_counted_exactly(app, make_user, monkeypatch):
    """Counted atomically: no 500, no lost count, nothing evaluated past the pause."""
    import threading

    from lms.auth import models

    make_user("t@example.jp")
    evaluated = []
    real = models.check_password_hash
    monkeypatch.setattr(models, "check_password_hash",
                        lambda h, p: evaluated.append(1) or real(h, p))
    statuses, barrier = [], threading.Barrier(20)

    def attempt():
        client = app.test_client()
        barrier.wait()
        response = client.post("/auth/login", data={"email": "t@example.jp",
                                                     "password": "nope-nope-1"})
        statuses.append(response.status_code)

    at_once(attempt, [()] * 20, None)
    assert statuses == [200] * 20
    with app.app_context():
        row = db.session.get(LoginThrottle, "email:t@example.jp")
        assert row.failures == len(evaluated) == 5


def test_unknown_addresses_are_hashed_like_real_ones(app, auth, make_user, monkeypatch):
    from lms.auth import models

    make_user("t@example.jp")
    hashed = []
    real = models.check_password_hash
    monkeypatch.setattr(models, "check_password_hash",
                        lambda h, p: hashed.append(h.split("$")[0]) or real(h, p))
    auth.login("t@example.jp", "nope-nope-1")
    auth.login("nobody@example.jp", "nope-nope-1")
    assert len(hashed) == 2 and hashed[0] == hashed[1]  # same method and cost


def test_reset_mails_are_limited_per_address(app, client, make_user):
    from lms.mail.models import OutgoingMail

    make_user("t@example.jp")
    for _ in range(6):
        client.post("/auth/forgot", data={"email": "t@example.jp"})
    with app.app_context():
        sent = db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingMail))
    assert sent == app.config["RESET_MAILS_PER_HOUR"] == 3


def test_inactive_account_cannot_log_in(app, auth, make_user):
    uid = make_user("t@example.jp")
    with app.app_context():
        db.session.get(User, uid).active = False
        db.session.commit()
    assert WRONG in text_of(auth.login("t@example.jp", follow=True).text)


def test_logout_needs_post_and_records_xapi(app, client, auth, make_user):
    make_user("t@example.jp")
    auth.login("t@example.jp")
    assert client.get("/auth/logout").status_code == 405
    response = auth.logout()
    assert response.headers["Location"].endswith("/auth/login")
    assert client.get("/trainee/").status_code == 302
    assert len(statements(app, "logged-out")) == 1


def test_open_redirect_is_refused(auth, make_user, client):
    make_user("t@example.jp")
    response = client.post("/auth/login?next=//evil.example/x",
                           data={"email": "t@example.jp", "password": "correct-horse-42"})
    assert response.headers["Location"] == "/"


def test_session_cookie_flags(auth, make_user, client):
    make_user("t@example.jp")
    cookie = auth.login("t@example.jp").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_english_can_be_chosen(client, auth, make_user):
    make_user("t@example.jp", locale="en")
    auth.login("t@example.jp")
    assert "My page" in client.get("/trainee/").text
    client.post("/auth/language", data={"locale": "ja", "next": "/trainee/"})
    assert "マイページ" in client.get("/trainee/").text
