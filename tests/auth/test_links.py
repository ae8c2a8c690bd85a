"""Invitations, password resets and password changes."""

import re

import sqlalchemy as sa

from lms.auth.models import User
from lms.extensions import db
from lms.security import Role
from tests.conftest import text_of
from tests.factories import outbox


def link_in(message, kind: str) -> str:
    body = message.get_content()
    return re.search(rf"http://lms\.test(/auth/{kind}/\S+)", body).group(1)


def invite(client, auth, make_user, who="new@example.jp"):
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")
    response = client.post("/admin/users/new", data={
        "email": who, "name": "新規 花子", "roles": ["trainee"], "locale": "ja"})
    assert response.status_code == 302
    auth.logout()


def test_invitation_sets_a_password_once(app, client, auth, make_user):
    invite(client, auth, make_user)
    [message] = outbox(app)
    assert message["To"] == "new@example.jp"
    path = link_in(message, "invitation")
    page = client.get(path)
    assert page.status_code == 200 and "new@example.jp" in page.text
    weak = client.post(path, data={"password": "short", "confirm": "short"})
    assert "10文字以上" in text_of(weak.text)
    done = client.post(path, data={"password": "kaede-2026-ok!", "confirm": "kaede-2026-ok!"})
    assert done.status_code == 302
    assert auth.login("new@example.jp", "kaede-2026-ok!").status_code == 302
    auth.logout()
    reused = client.get(path)
    assert reused.status_code == 410
    assert "既に使用されています" in text_of(reused.text)


def test_expired_invitation_says_so_and_changes_nothing(app, client, auth, make_user):
    invite(client, auth, make_user)
    path = link_in(outbox(app)[0], "invitation")
    app.config["INVITE_MAX_AGE_HOURS"] = -1
    response = client.post(path, data={"password": "kaede-2026-ok!", "confirm": "kaede-2026-ok!"})
    assert response.status_code == 410
    assert "有効期限が切れています" in text_of(response.text)
    with app.app_context():
        user = db.session.execute(sa.select(User).filter_by(email="new@example.jp")).scalar_one()
        assert user.password_hash is None


def test_tampered_link_is_invalid(app, client, auth, make_user):
    invite(client, auth, make_user)
    path = link_in(outbox(app)[0], "invitation")
    assert client.get(path[:-3] + "abc").status_code == 410


def test_reset_by_mail_for_known_address_only(app, client, make_user, auth):
    make_user("t@example.jp")
    message = "そのメールアドレスのアカウントがある場合は"
    for address in ("t@example.jp", "unknown@example.jp"):
        page = client.post("/auth/forgot", data={"email": address}, follow_redirects=True)
        assert message in text_of(page.text)
    [mail] = outbox(app)
    assert mail["To"] == "t@example.jp"
    path = link_in(mail, "reset")
    client.post(path, data={"password": "new-pass-2026", "confirm": "new-pass-2026"})
    assert auth.login("t@example.jp", "new-pass-2026").status_code == 302


def test_change_password_checks_the_current_one(client, auth, make_user):
    make_user("t@example.jp")
    auth.login("t@example.jp")
    bad = client.post("/auth/password", data={
        "current": "wrong-wrong-1", "password": "fresh-pass-99", "confirm": "fresh-pass-99"})
    assert "現在のパスワードが正しくありません" in text_of(bad.text)
    ok = client.post("/auth/password", data={
        "current": "correct-horse-42", "password": "fresh-pass-99", "confirm": "fresh-pass-99"})
    assert ok.status_code == 302
    auth.logout()
    assert auth.login("t@example.jp", "fresh-pass-99").status_code == 302


def test_missing_csrf_token_is_refused_in_japanese(app, client, make_user):
    make_user("t@example.jp")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/auth/login", data={"email": "t@example.jp",
                                                "password": "correct-horse-42"})
    assert response.status_code == 400
    assert "フォームの有効期限が切れたか" in text_of(response.text)
    assert client.get("/trainee/").status_code == 302  # not logged in


def test_login_works_with_a_csrf_token(app, client, make_user):
    from tests.conftest import csrf_token

    make_user("t@example.jp")
    app.config["WTF_CSRF_ENABLED"] = True
    token = csrf_token(client.get("/auth/login").text)
    response = client.post("/auth/login", data={
        "email": "t@example.jp", "password": "correct-horse-42", "csrf_token": token})
    assert response.status_code == 302
