"""Administrators and the committee use the learning-record pages in Japanese."""

import base64
import json
import urllib.request
import uuid

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_roles import demo, log_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def post_statement(base: str, key: str, secret: str) -> str:
    """An external system posts a statement to the LRS with Basic credentials."""
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": "外部システムの学習者",
                  "account": {"homePage": "https://partner.example", "name": "p-001"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced",
                 "display": {"ja-JP": "体験した"}},
        "object": {"objectType": "Activity", "id": "https://partner.example/act/1",
                   "definition": {"name": {"ja-JP": "地域の相談窓口見学"}}},
    }
    auth = base64.b64encode(f"{key}:{secret}".encode()).decode()
    request = urllib.request.Request(base + "/xapi/statements", method="POST",
                                     data=json.dumps(statement).encode(), headers={
                                         "Authorization": "Basic " + auth,
                                         "X-Experience-API-Version": "1.0.3",
                                         "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    return statement["id"]


def test_admin_browses_statements_and_manages_clients(page, live_server, demo):  # noqa: F811
    statement_id = post_statement(live_server, "demo-lrs", "demo-lrs-secret")
    log_in(page, live_server, "admin@demo.example")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="学習記録（xAPI）").click()
    page.get_by_role("heading", level=1, name="学習記録（xAPIステートメント）").wait_for()
    assert "地域の相談窓口見学" in page.inner_text("main")
    page.get_by_label("学習者（メールアドレス、または xAPI エージェントの JSON）").fill(
        "trainee4@demo.example")
    page.get_by_role("button", name="絞り込み").click()
    page.wait_for_url("**agent=trainee4*")
    actors = page.locator("table:not(.chart-data) tbody tr td:nth-child(2)").all_inner_texts()
    assert len(actors) >= 5 and set(actors) == {"受講生 伊藤 四郎"}
    assert "キャンセル待ちに登録した" in page.inner_text("table:not(.chart-data)")
    screenshot(page, "admin-statement-browser")
    page.get_by_label("登録 ID（受講登録の UUID）").fill("not-a-uuid")
    page.get_by_role("button", name="絞り込み").click()
    page.get_by_role("alert").get_by_text("UUID 形式").wait_for()

    page.goto(live_server + f"/admin/xapi/statements/{statement_id}")
    assert "https://partner.example/act/1" in page.inner_text("pre")

    page.get_by_role("link", name="LRS クライアント").click()
    assert "demo-lrs" in page.inner_text("table:not(.chart-data)")
    page.get_by_label("クライアント名").fill("分析基盤")
    page.get_by_label("キー（ユーザー名。空欄なら自動生成）").fill("analytics")
    page.get_by_role("button", name="作成").click()
    page.get_by_text("シークレットは再表示されません").wait_for()
    secret = page.locator("dd code").nth(1).inner_text()
    post_statement(live_server, "analytics", secret)
    screenshot(page, "admin-lrs-clients")
    page.get_by_role("link", name="外部 LRS への転送").click()
    page.get_by_text("転送は無効です").wait_for()


def test_committee_reads_certification_readiness(page, live_server, demo):  # noqa: F811
    log_in(page, live_server, "committee@demo.example")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="修了認定の要件充足状況").click()
    page.get_by_role("heading", level=1, name="修了認定の要件充足状況").wait_for()
    page.get_by_label("期").select_option(label="2026年度 第1期")
    page.get_by_role("button", name="表示").click()  # not on change (WCAG 3.2.2)
    page.wait_for_url("**cohort=*")
    main = page.inner_text("main")
    assert "審査に進める受講者" in main and "要件ごとの充足者数" in main
    screenshot(page, "committee-readiness")
    page.get_by_role("link", name="受講生 伊藤 四郎").click()
    page.get_by_role("heading", level=1, name="修了認定審査資料: 受講生 伊藤 四郎").wait_for()
    rows = page.inner_text("table:not(.chart-data)")
    assert "科目群A 小テスト" in rows and "充足" in rows
    screenshot(page, "committee-evidence")
