"""The whole trainee home is kept across requests (lms.pagecache): the kept page still
carries a CSRF token that works, shows a flashed message once, and follows what the layout
shows besides the trainee's progress (unread count, name, language)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import template_rendered

from lms import pagecache
from lms.auth.models import User
from lms.extensions import db
from lms.notify.models import Notification
from lms.security import Role
from tests.conftest import csrf_token


@pytest.fixture
def trainee(make_user, auth):
    make_user("kept@example.jp", Role.TRAINEE, name="保存 太郎")
    auth.login("kept@example.jp")
    return "kept@example.jp"


@pytest.fixture
def drawn(app):
    """The templates drawn while the test runs, by name."""
    names: list[str] = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


def unread_badge(html: str) -> str | None:
    match = re.search(r'id="unread-count"[^>]*>(\d+)<', html)
    return match.group(1) if match else None


def test_the_second_view_is_kept_and_its_token_is_fresh_and_valid(app, client, trainee, drawn):
    first = client.get("/trainee/").text
    assert "home/trainee.html" in drawn
    drawn.clear()
    second = client.get("/trainee/").text
    assert drawn == []  # served from the kept page
    assert pagecache.HOLE not in first + second
    assert first.count('name="csrf_token"') == second.count('name="csrf_token"') == 2
    app.config["WTF_CSRF_ENABLED"] = True
    # the token filled into the kept page is accepted by a form post (the language switch)
    response = client.post("/auth/language", data={
        "csrf_token": csrf_token(second), "locale": "en", "next": "/trainee/"})
    assert response.status_code == 302
    assert 'lang="en"' in client.get("/trainee/").text
    # and a forged one is not
    response = client.post("/auth/language", data={
        "csrf_token": "forged", "locale": "ja", "next": "/trainee/"})
    assert response.status_code == 400


def test_a_flashed_message_is_shown_once_and_not_kept(client, trainee, drawn):
    client.get("/trainee/")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "一度だけのお知らせ")]
    drawn.clear()
    assert "一度だけのお知らせ" in client.get("/trainee/").text
    assert "home/trainee.html" in drawn  # drawn, around the message
    assert "一度だけのお知らせ" not in client.get("/trainee/").text


def test_the_kept_page_follows_the_unread_count_the_name_and_the_language(app, client,
                                                                         trainee):
    assert unread_badge(client.get("/trainee/").text) is None
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == trainee))
        db.session.add(Notification(user_id=user.id, kind="certificate_issued",
                                    params={"number": "R8-0001", "issued": "2026-11-30"}))
        db.session.commit()
    assert unread_badge(client.get("/trainee/").text) == "1"
    assert client.post("/notifications/read").status_code == 302  # "mark all as read"
    assert unread_badge(client.get("/trainee/").text) is None

    with app.app_context():
        db.session.execute(sa.update(User).where(User.email == trainee)
                           .values(name="改名 花子"))
        db.session.commit()
    page = client.get("/trainee/").text
    assert "改名 花子" in page and "保存 太郎" not in page

    ja = client.get("/trainee/").text
    client.post("/auth/language", data={"locale": "en", "next": "/trainee/"})
    en = client.get("/trainee/").text
    assert 'lang="ja"' in ja and 'lang="en"' in en
    assert "My page" in en and "マイページ" in ja
