"""Logging in and out, throttling, and the messages a person sees."""

from datetime import timedelta

import sqlalchemy as sa

from lms.auth.models import LoginThrottle, User
from lms.extensions import db
from lms.security import Role
from lms.timeutil import utcnow
from lms.xapi.models import Statement
from tests.conftest import text_of

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
        row = db.session.get(LoginThrottle, "t@example.jp")
        row.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert auth.login("t@example.jp").headers["Location"].endswith("/")
    with app.app_context():
        assert db.session.get(LoginThrottle, "t@example.jp") is None


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
