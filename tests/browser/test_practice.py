"""Practice in Chromium: goal, two reflections, a progress-report draft that survives closing
the page, submit; the instructor returns it, the trainee resubmits, the instructor accepts."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.auth.models import User
from lms.cohorts.models import Enrolment
from lms.demo import sit_quiz
from lms.extensions import db
from lms.practice.models import PracticeReport
from lms.security import Role
from lms.timeutil import today_tokyo
from tests.browser.conftest import screenshot
from tests.browser.test_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

FILL = """(marker) => {
  document.querySelectorAll('[data-field]').forEach((box) => {
    const el = box.querySelector('textarea, input');
    if (!el) return;
    if (el.type === 'radio' || el.type === 'checkbox') { el.checked = true; }
    else if (el.type === 'date') { el.value = '2027-03-31'; }
    else if (el.type === 'number') { el.value = el.min || '3'; }
    else {
      const n = parseInt(el.dataset.min || '5', 10);
      el.value = marker.repeat(Math.ceil(n / marker.length) + 2);
    }
    el.dispatchEvent(new Event('input', {bubbles: true}));
    el.dispatchEvent(new Event('change', {bubbles: true}));
  });
}"""


def submit_report(page):
    page.get_by_label("内容を確認し、提出します。").check()
    page.get_by_role("button", name="提出する", exact=True).click()
    page.get_by_text("提出しました。この受付票を保存してください。").wait_for()


def test_practice_round_trip(browser, page, live_server, live_app, enrolled_trainee, make_user):
    with live_app.app_context():
        user = db.session.execute(sa.select(User).filter_by(email=enrolled_trainee)).scalar_one()
        sit_quiz(user, "comprehensive", passing=True)
        # the practice stage (and its forms) opened two days ago for this cohort
        cohort = db.session.execute(sa.select(Enrolment).filter_by(
            user_id=user.id)).unique().scalar_one().cohort
        cohort.practice_start = cohort.progress_report_opens = today_tokyo() - timedelta(days=2)
        db.session.commit()
    make_user("reviewer@example.jp", Role.INSTRUCTOR)

    log_in(page, live_server, enrolled_trainee, PASSWORD)
    page.goto(live_server + "/practice/reports/goal")
    page.evaluate(FILL, "目標")
    submit_report(page)

    for day in (today_tokyo() - timedelta(days=1), today_tokyo()):
        page.goto(live_server + f"/practice/reflections/{day.isoformat()}")
        page.evaluate(FILL, "振り返り")
        page.get_by_role("button", name="保存", exact=True).click()
        page.get_by_text("振り返りを保存しました。").wait_for()
    assert "記録数: 2" in page.inner_text("main")
    screenshot(page, "practice-overview")

    page.goto(live_server + "/practice/reports/progress")
    page.evaluate(FILL, "途中経過")
    page.get_by_text("下書きを保存しました").first.wait_for()
    page.close()  # the tab is closed; the draft must be on the server

    page = browser.new_context(locale="ja-JP").new_page()
    log_in(page, live_server, enrolled_trainee, PASSWORD)
    page.goto(live_server + "/practice/reports/progress")
    assert "途中経過" in page.locator("textarea").first.input_value()
    submit_report(page)

    reviewer = browser.new_context(locale="ja-JP").new_page()
    log_in(reviewer, live_server, "reviewer@example.jp", PASSWORD)
    with live_app.app_context():
        report_id = db.session.execute(sa.select(PracticeReport.id).filter_by(
            kind="progress")).scalar_one()
    reviewer.goto(live_server + f"/staff/practice/reports/{report_id}")
    reviewer.get_by_label("受講生へのコメント").fill("事例の記述をもう少し具体的にしてください。")
    reviewer.get_by_label("新しい提出期限（差し戻す場合）").fill(
        (today_tokyo() + timedelta(days=7)).isoformat())
    reviewer.get_by_label("新しい提出期限の理由（差し戻す場合）").fill("修正に1週間")
    reviewer.get_by_role("button", name="差し戻す").click()
    reviewer.get_by_text("評価を保存しました").wait_for()

    page.goto(live_server + "/practice/reports/progress")
    assert "事例の記述をもう少し具体的にしてください。" in page.inner_text("main")
    page.evaluate(FILL, "改訂版")
    submit_report(page)

    reviewer.goto(live_server + f"/staff/practice/reports/{report_id}")
    reviewer.get_by_role("button", name="受理する").click()
    reviewer.get_by_text("評価を保存しました").wait_for()
    screenshot(reviewer, "practice-review-queue")
    page.goto(live_server + "/practice/")
    assert "受理" in page.inner_text("main")
