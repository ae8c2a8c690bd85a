"""A trainee in Chromium: group A lectures, then the group A test — fail, cool-down, pass —
while group B's test and the comprehensive test stay locked by URL."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.assessment.models import QuizAttempt
from lms.extensions import db
from lms.timeutil import utcnow
from tests.browser.conftest import play_to_end, screenshot
from tests.browser.test_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def answer(page, right: bool) -> None:
    page.get_by_label("正解の選択肢" if right else "誤りの選択肢").check()
    page.get_by_label("正しい（○）" if right else "誤り（×）").check()
    for fieldset in page.locator("fieldset.question").all():
        fieldset.get_by_text("保存しました").wait_for()


def submit(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="解答を提出する").click()
    page.get_by_role("heading", level=1, name="テスト小テストA: 結果").wait_for()


def test_fail_cooldown_pass_and_locks_by_url(page, live_server, live_app, enrolled_trainee):
    log_in(page, live_server, enrolled_trainee, PASSWORD)
    page.goto(live_server + "/quizzes/group-a")
    assert "グループAの講義をすべて視聴すると受験できます" in page.inner_text("main")
    page.goto(live_server + "/course/modules/a01-short")
    play_to_end(page)
    page.get_by_text("この講義の視聴を完了しました。").wait_for()

    page.goto(live_server + "/trainee/")
    path = page.locator("section", has=page.get_by_role("heading", name="研修の進み方"))
    assert "テスト小テストA" in path.inner_text()
    screenshot(page, "trainee-path")

    for locked in ("/quizzes/group-b", "/quizzes/comprehensive"):
        response = page.goto(live_server + locked)
        assert response.status == 403
        assert "まだ利用できません。" in page.inner_text("main")

    page.goto(live_server + "/quizzes/group-a")
    page.get_by_role("button", name="受験を開始する").click()
    answer(page, right=False)
    screenshot(page, "quiz-attempt")
    submit(page)
    assert "不合格" in page.inner_text("main")

    page.get_by_role("link", name="テストの案内に戻る").click()
    assert "次の受験は" in page.inner_text("#cooldown")
    assert page.get_by_role("button", name="受験を開始する").count() == 0

    with live_app.app_context():  # the one-minute cool-down passes
        db.session.execute(sa.update(QuizAttempt).values(
            finished_at=utcnow() - timedelta(minutes=2)))
        db.session.commit()
    page.reload()
    page.get_by_role("button", name="受験を開始する").click()
    answer(page, right=True)
    submit(page)
    assert "合格" in page.inner_text("main") and "不合格" not in page.inner_text(".result")
    assert "正答" in page.inner_text("main")  # this quiz's review shows the correct answers
    screenshot(page, "quiz-result")

    response = page.goto(live_server + "/quizzes/comprehensive")
    assert response.status == 403
    assert "「テスト小テストB」に合格すると利用できます。" in page.inner_text("main")
