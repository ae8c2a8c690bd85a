"""The administrator issues a certificate; the holder downloads it; the verification page opened
from the QR code decoded from the PDF shows it valid."""

from datetime import timedelta

import pytest

from lms.security import Role
from lms.timeutil import today_tokyo
from tests.browser.conftest import screenshot
from tests.certificates.conftest import certify
from tests.certificates.test_issue import pdf_text, qr_text

pytestmark = pytest.mark.browser


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/auth/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()


def test_issue_download_and_verify_from_the_qr(page, live_app, live_server, make_user,
                                               make_cohort, tmp_path):
    from tests.conftest import PASSWORD

    live_app.config["BASE_URL"] = live_server  # the QR code must lead back to this server
    make_user("admin@example.jp", Role.ADMIN, name="事務局 管理者")
    holders = [make_user(f"holder{n}@example.jp", Role.TRAINEE, name=name)
               for n, name in enumerate(("山田 太郎", "佐々木 花", "井上 翔"))]
    cohort = make_cohort(today_tokyo() - timedelta(days=200), name="認定テスト期")
    with live_app.app_context():
        for user_id in holders:
            certify(user_id, cohort, today_tokyo() - timedelta(days=3))

    log_in(page, live_server, "admin@example.jp", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="認定者名簿").click()
    page.get_by_role("link", name="認定証の交付").click()
    page.get_by_role("heading", level=1, name="認定証の交付").wait_for()
    assert "認定証が未交付の方：3名" in page.inner_text("main")
    page.get_by_role("button", name="チェックした方に認定証を交付").click()
    page.get_by_text("認定証が未交付の方：0名").wait_for()
    page.goto(live_server + "/admin/certificates/registry")
    registry = page.inner_text("main")
    assert all(name in registry for name in ("山田 太郎", "佐々木 花", "井上 翔"))
    screenshot(page, "certificates-registry")
    page.get_by_role("button", name="ログアウト").click()

    log_in(page, live_server, "holder0@example.jp", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="認定証").click()
    page.get_by_role("heading", level=1, name="認定証").wait_for()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="認定証をダウンロード（PDF）").click()
    path = tmp_path / "certificate.pdf"
    download_info.value.save_as(path)
    data = path.read_bytes()
    text = pdf_text(data)
    assert "山田 太郎" in text and "令和" in text
    url = qr_text(data)
    assert url.startswith(live_server + "/certificates/v/")

    page.goto(url)
    page.get_by_role("heading", level=1, name="認定証の確認").wait_for()
    main = page.inner_text("main")
    assert "山田 太郎" in main and "有効" in main
    screenshot(page, "certificates-verified")
