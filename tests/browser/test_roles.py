"""Each demo role logs in through the real login form and lands on its own Japanese home."""

import pytest

from lms.demo import DEMO_PASSWORD, seed
from lms.extensions import db
from lms.timeutil import today_tokyo
from tests.browser.conftest import screenshot
from tests.conftest import seeded

pytestmark = pytest.mark.browser

HOMES = [
    ("admin@demo.example", "管理", "期別の受講生数"),
    ("instructor@demo.example", "講師ページ", "2026年度"),
    ("committee@demo.example", "認定審査委員会", "審査対象の期"),
    ("trainee1@demo.example", "マイページ", "養成課程①（オンライン研修）"),
]


@pytest.fixture
def demo(live_app):
    seeded(live_app, "demo people", lambda: demo_people(live_app))


def demo_people(app) -> None:
    """The demo people without the sample programme."""
    with app.app_context():
        seed(today_tokyo())
        db.session.commit()


def log_in(page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base + "/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()


@pytest.mark.parametrize(("email", "heading", "content"), HOMES)
def test_role_home_in_japanese(page, live_server, demo, email, heading, content):
    log_in(page, live_server, email)
    page.get_by_role("heading", level=1, name=heading).wait_for()
    assert content in page.inner_text("main")
    assert page.evaluate("document.documentElement.lang") == "ja"
    screenshot(page, "home-" + email.split("@")[0])
    page.get_by_role("button", name="ログアウト").click()
    page.get_by_text("ログアウトしました。").wait_for()


def test_wrong_password_message(page, live_server, demo):
    log_in(page, live_server, "trainee1@demo.example", "wrong-password-1")
    page.get_by_text("メールアドレスまたはパスワードが正しくありません。").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "ログイン"


def test_phone_layout_keeps_navigation_reachable(browser, live_server, demo):
    context = browser.new_context(locale="ja-JP", viewport={"width": 375, "height": 740})
    page = context.new_page()
    log_in(page, live_server, "admin@demo.example")
    nav = page.get_by_role("navigation", name="メインメニュー")
    nav.get_by_role("link", name="アカウント管理").click()
    page.get_by_role("heading", level=1, name="アカウント管理").wait_for()
    screenshot(page, "phone-admin-users")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page scrolls sideways on a phone ({width}px)"
    context.close()
