"""A trainee watches a lecture in Chromium: watching completes it, skipping ahead does not."""


import pytest

from tests.browser.conftest import play_to_end, screenshot
from tests.browser.test_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_watching_to_the_end_completes_and_moves_the_bar(page, live_server, enrolled_trainee):
    log_in(page, live_server, enrolled_trainee, PASSWORD)
    page.goto(live_server + "/course/")
    assert "グループA" in page.inner_text("main")
    page.get_by_role("link", name="テスト講義A").click()
    page.get_by_role("heading", level=1, name="テスト講義A").wait_for()
    play_to_end(page)
    page.get_by_text("この講義の視聴を完了しました。").wait_for()
    bar = page.locator("#watch-status .progress")
    assert int(bar.get_attribute("aria-valuenow")) >= 95
    screenshot(page, "lecture-complete")
    page.goto(live_server + "/course/")
    group_a = page.locator("section", has=page.get_by_role("heading", name="グループA"))
    assert group_a.locator(".progress").get_attribute("aria-valuenow") == "100"
    assert "完了" in group_a.inner_text()
    screenshot(page, "course-overview")


def test_seeking_to_the_end_does_not_complete(page, live_server, enrolled_trainee):
    log_in(page, live_server, enrolled_trainee, PASSWORD)
    page.goto(live_server + "/course/modules/b01-short")
    play_to_end(page, seek_to=5.4)
    page.wait_for_function(  # a function, not an expression: the CSP forbids eval
        "() => document.querySelector('#watch-status .progress')"
        ".getAttribute('aria-valuenow') > 0")
    assert page.locator("#complete-note").is_hidden()
    assert int(page.locator("#watch-status .progress").get_attribute("aria-valuenow")) < 50
