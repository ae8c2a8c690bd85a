"""A trainee watches a lecture in Chromium: watching completes it, skipping ahead does not."""

import time

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.xapi.models import Statement
from tests.browser.conftest import play_to_end, screenshot
from tests.browser.test_roles import log_in
from tests.conftest import PASSWORD

SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"

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


def test_leaving_the_page_terminates_the_viewing_session(page, live_server, live_app,
                                                         enrolled_trainee):
    """The player's last report, sent as the page goes away, ends the session: a pause (the
    video was playing) and then terminated, in the session the page was opened with."""
    log_in(page, live_server, enrolled_trainee, PASSWORD)
    page.goto(live_server + "/course/modules/a01-short")
    session_id = page.locator("#lecture-video").get_attribute("data-session-id")
    page.evaluate("""() => new Promise((resolve) => {
        const v = document.getElementById('lecture-video');
        v.muted = true;
        v.play().then(() => setTimeout(resolve, 1500));
    })""")
    page.goto(live_server + "/course/")
    with live_app.app_context():
        for _ in range(50):  # the last report travels as a keepalive request
            verbs = [s.payload["verb"]["id"].rsplit("/", 1)[-1] for s in db.session.execute(
                sa.select(Statement).order_by(Statement.seq)).scalars()
                if s.payload["context"].get("extensions", {}).get(SESSION) == session_id]
            if "terminated" in verbs:
                break
            db.session.rollback()
            time.sleep(0.1)
    assert verbs[:2] == ["launched", "initialized"]
    assert verbs[-2:] == ["paused", "terminated"]
