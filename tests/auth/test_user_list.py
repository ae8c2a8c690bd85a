"""The administrators' user list, one page at a time, its filters kept in the pager."""

import re

import pytest

from lms.admin import services
from lms.security import Role
from tests.conftest import text_of


@pytest.fixture
def seven(make_user, monkeypatch):
    """An administrator and six trainees (「受講 1」…「受講 6」), three accounts a page."""
    monkeypatch.setattr(services, "USERS_PER_PAGE", 3)
    make_user("office@example.jp", Role.ADMIN, name="事務局")
    for n in range(1, 7):
        make_user(f"t{n}@example.jp", Role.TRAINEE, name=f"受講 {n}")
    return "office@example.jp"


def _names(client, **args) -> list[str]:
    html = client.get("/admin/users", query_string=args).text
    return re.findall(r'/admin/users/\d+">([^<]+)</a>', html)


def test_pages_by_name_the_last_page_and_past_it(client, auth, seven):
    auth.login(seven)
    assert _names(client) == ["事務局", "受講 1", "受講 2"]
    pages = [_names(client, page=n) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert len({n for p in pages for n in p}) == 7
    assert _names(client, page=40) == pages[2]
    assert "7件中 7–7件目" in text_of(client.get("/admin/users?page=3").text)


def test_a_filter_and_a_page_together(client, auth, seven):
    auth.login(seven)
    html = client.get("/admin/users", query_string={"role": "trainee", "q": "受講"}).text
    assert "role=trainee" in html and "page=2" in html and "q=%E5%8F%97%E8%AC%9B" in html
    assert _names(client, role="trainee", q="受講", page=2) == ["受講 4", "受講 5", "受講 6"]
    assert _names(client, role="admin") == ["事務局"]


def test_nothing_matching(client, auth, seven):
    auth.login(seven)
    page = text_of(client.get("/admin/users", query_string={"q": "該当なし"}).text)
    assert "0件" in page and _names(client, q="該当なし") == []


def test_only_administrators_see_the_list(client, auth, make_user):
    make_user("teacher@example.jp", Role.INSTRUCTOR)
    auth.login("teacher@example.jp")
    assert client.get("/admin/users").status_code == 403
