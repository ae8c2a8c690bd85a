"""A person signs up, applies with an evidence PDF and sees the verdict; the office accepts;
the person logs in as a trainee of that cohort and sees course ①."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.assessment.sync import sync_quizzes
from lms.auth.services import NewAccount, create_account
from lms.cohorts.models import Cohort
from lms.cohorts.services import create_cohort
from lms.content.sync import sync_modules
from lms.demo import cohort_dates
from lms.extensions import db
from lms.mail.models import OutgoingMail
from lms.security import Role
from lms.timeutil import today_tokyo
from tests.applications.conftest import PDF
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, authoring_copy

pytestmark = pytest.mark.browser


@pytest.fixture
def open_cohort(live_app, tmp_path):
    """A cohort in course 1 since a few days, still taking applications; an administrator."""
    root = authoring_copy(tmp_path)
    live_app.config["CONTENT_DIR"] = str(root)
    today = today_tokyo()
    with live_app.app_context():
        sync_modules(root)
        sync_quizzes(root.parent)
        office = NewAccount("office@example.jp", "事務局 担当", frozenset({Role.ADMIN}))
        create_account(None, office, password=PASSWORD)
        cohort = create_cohort(None, "第5期", 10, cohort_dates(today - timedelta(days=3)))
        # a late window (past the training start) so that course 1 is already open here
        cohort.applications_open = today - timedelta(days=30)
        cohort.applications_close = today + timedelta(days=3)
        db.session.commit()
        return cohort.id


def log_in(page, base, email):
    page.goto(base + "/auth/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()


def test_sign_up_apply_accept_and_study(browser, page, live_app, live_server, open_cohort,
                                        tmp_path):
    # the public page lists the cohort; the visitor signs up with an e-mail address
    page.goto(live_server + "/apply/")
    page.get_by_role("link", name="詳細・申込").click()
    page.get_by_label("氏名").fill("山田 太郎")
    page.get_by_label("メールアドレス").fill("taro@example.jp")
    page.get_by_role("button", name="確認用リンクを送信").click()
    page.get_by_role("heading", name="メールをご確認ください").wait_for()
    with live_app.app_context():
        body = db.session.scalars(sa.select(OutgoingMail.body).where(
            OutgoingMail.to == "taro@example.jp")).one()
    link = re.search(r"http://lms\.test(/apply/verify/\S+)", body)[1]

    # the link verifies the address; a password is chosen; the draft opens
    page.goto(live_server + link)
    page.get_by_label("新しいパスワード", exact=True).fill(PASSWORD)
    page.get_by_label("新しいパスワード（確認）").fill(PASSWORD)
    page.get_by_role("button", name="パスワードを設定して続ける").click()
    page.get_by_role("heading", name="受講申込：第5期").wait_for()
    page.get_by_label("フリガナ（全角カタカナ）").fill("やまだ　たろう")
    page.get_by_label("所属機関").first.fill("横浜市 多文化共生総合相談センター")
    page.get_by_label("都道府県").select_option("神奈川県")
    page.get_by_label("現在勤務している相談窓口").select_option("1-1")
    page.get_by_label("担当している業務").select_option("handles")
    page.get_by_role("button", name="期間を追加").click()
    period = page.locator(".period").first
    period.get_by_label("窓口の種類").select_option("2-2")
    period.get_by_label("所属機関").fill("横浜市国際交流協会")
    period.get_by_label("開始日").fill("令和５年４月１日")
    period.get_by_label("現在に至る（現在も在職中）").check()
    period.get_by_label("対象期間内の従事日数（従業日数）").fill("142")
    # the live verdict: not yet (142 working days), then yes with 250
    page.locator("#verdict").get_by_text("従事日数 142日（180日以上が必要）").wait_for()
    assert page.locator("[data-verdict]").inner_text() == "要件を満たしていません"
    period.get_by_label("対象期間内の従事日数（従業日数）").fill("２５０")
    page.locator('[data-verdict="eligible"]').wait_for()
    evidence = tmp_path / "在職証明書.pdf"
    evidence.write_bytes(PDF)
    period.locator("input[type=file]").set_input_files(str(evidence))
    page.get_by_role("button", name="申込を提出する").click()
    page.get_by_text("申込を提出しました。").wait_for()
    assert "要件を満たしています" in page.locator("#verdict").inner_text()
    assert page.get_by_role("link", name="在職証明書.pdf").count() == 1
    screenshot(page, "application-submitted")
    page.get_by_role("button", name="ログアウト").click()

    # the office opens it beside its evidence and accepts
    log_in(page, live_server, "office@example.jp")
    page.goto(live_server + f"/admin/applications/cohorts/{open_cohort}")
    page.get_by_role("link", name="山田 太郎").click()
    page.wait_for_url(re.compile(r"/admin/applications/\d+$"))  # count() does not wait
    assert page.locator("iframe.evidence-frame").count() == 1
    screenshot(page, "application-review")
    page.get_by_role("button", name="受理して受講登録する").click()
    page.get_by_text("受理しました。").wait_for()
    page.get_by_role("button", name="ログアウト").click()

    # the person is now a trainee of that cohort, and course 1 is open to them
    log_in(page, live_server, "taro@example.jp")
    page.get_by_role("heading", level=1, name="マイページ").wait_for()
    assert "養成課程①（オンライン研修）" in page.inner_text("main")
    page.get_by_role("navigation").get_by_role("link", name="講義").click()
    page.get_by_text("テスト講義A").first.wait_for()
    with live_app.app_context():
        cohort = db.session.get(Cohort, open_cohort)
        assert [e.user.email for e in cohort.enrolments] == ["taro@example.jp"]
