"""Report drafts typed while the server was unreachable survive, field by field."""

import time

import pytest
import sqlalchemy as sa

from lms.auth.models import User
from lms.demo import sit_quiz
from lms.extensions import db
from lms.practice.models import PracticeReport
from tests.browser.test_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

KEY = "lms-report-draft:/practice/reports/goal/draft"


@pytest.fixture
def in_practice(live_app, practising_trainee):
    with live_app.app_context():
        user = db.session.execute(sa.select(User).filter_by(email=practising_trainee)
                                  ).scalar_one()
        sit_quiz(user, "comprehensive", passing=True)
        db.session.commit()
    return practising_trainee


def _late(route) -> None:
    time.sleep(2)
    route.continue_()


def _type(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=False).first
    box.fill(text)  # fill() sends an input event, as typing does


def test_text_typed_while_the_server_was_down_is_restored_and_then_saved(
        page, live_server, live_app, in_practice):
    log_in(page, live_server, in_practice, PASSWORD)
    # a slow connection: the form's script starts 2 s after the server drew the page, so the
    # browser's estimate of the server's clock lags by as much (a lag that once made the text
    # typed just after a save look older than the save)
    page.route("**/static/js/report.js", _late)
    page.goto(live_server + "/practice/reports/goal")
    _type(page, "所属する相談窓口", "サーバーに保存された文章")
    page.get_by_text("下書きを保存しました").first.wait_for()

    # The server goes away; the person goes on typing in two fields.
    page.route("**/practice/reports/goal/draft", lambda route: route.abort())
    _type(page, "所属する相談窓口", "サーバー停止中に書き直した文章")
    _type(page, "取組テーマ", "停止中に入力したテーマ")
    page.get_by_text("未保存（オフライン）").first.wait_for()
    page.unroute("**/practice/reports/goal/draft")

    page.reload()  # the server is back
    assert page.get_by_label("所属する相談窓口", exact=False).first.input_value() == \
        "サーバー停止中に書き直した文章"
    assert page.get_by_label("取組テーマ").input_value() == "停止中に入力したテーマ"
    notice = page.locator(".autosave-restored")
    notice.wait_for()
    assert "このブラウザから復元" in notice.inner_text()
    assert "所属する相談窓口" in notice.inner_text() and "取組テーマ" in notice.inner_text()
    page.get_by_text("下書きを保存しました").first.wait_for()
    page.wait_for_function(f"() => localStorage.getItem({KEY!r}) === null")
    with live_app.app_context():
        values = db.session.execute(sa.select(PracticeReport.values)).scalar_one()
    assert values["desk_and_role"] == "サーバー停止中に書き直した文章"
    assert values["theme"] == "停止中に入力したテーマ"


def test_a_newer_saved_draft_wins_over_an_older_local_copy(page, live_server, in_practice):
    log_in(page, live_server, in_practice, PASSWORD)
    page.goto(live_server + "/practice/reports/goal")
    _type(page, "取組テーマ", "別の端末で保存した新しいテーマ")
    page.get_by_text("下書きを保存しました").first.wait_for()
    page.evaluate("""(key) => localStorage.setItem(key, JSON.stringify(
        {fields: {theme: {value: "古い端末に残っていたテーマ", at: 0}}}))""", KEY)
    page.reload()
    assert page.get_by_label("取組テーマ").input_value() == "別の端末で保存した新しいテーマ"
    assert "保存済みの下書きの方が新しい" in page.locator(".autosave-restored").inner_text()
    assert page.evaluate(f"() => localStorage.getItem({KEY!r})") is None
