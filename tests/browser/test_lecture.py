"""A trainee watches a lecture in Chromium: watching completes it, skipping ahead does not."""

from datetime import date, timedelta

import pytest

from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.content.sync import sync_modules
from lms.extensions import db
from lms.security import Role
from tests.browser.conftest import screenshot
from tests.browser.test_roles import log_in
from tests.conftest import PASSWORD, authoring_copy

pytestmark = pytest.mark.browser


@pytest.fixture
def enrolled_trainee(live_app, tmp_path, make_user, make_cohort):
    root = authoring_copy(tmp_path)
    live_app.config["CONTENT_DIR"] = str(root)
    uid = make_user("watcher@example.jp", Role.TRAINEE)
    cid = make_cohort(date.today() - timedelta(days=5))
    with live_app.app_context():
        sync_modules(root)
        enrol(None, db.session.get(Cohort, cid), db.session.get(User, uid))
        db.session.commit()
    return "watcher@example.jp"


def play_to_end(page, seek_to=None):
    page.evaluate("""(seekTo) => new Promise((resolve) => {
        const v = document.getElementById('lecture-video');
        v.muted = true;
        v.addEventListener('ended', () => resolve(), {once: true});
        v.play().then(() => {
          if (seekTo !== null) setTimeout(() => { v.currentTime = seekTo; }, 600);
        });
    })""", seek_to)


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
    page.wait_for_function(
        "document.querySelector('#watch-status .progress').getAttribute('aria-valuenow') > 0")
    assert page.locator("#complete-note").is_hidden()
    assert int(page.locator("#watch-status .progress").get_attribute("aria-valuenow")) < 50
