"""The holder downloads the Open Badges badge image; anyone uploads it on the verification
page and sees it valid and theirs; after revocation the same image shows revoked."""

from datetime import timedelta

import pytest

from lms.auth.models import User
from lms.certificates import services as certificates
from lms.certificates.models import Certificate, RevocationGround
from lms.extensions import db
from lms.security import Role
from lms.timeutil import today_tokyo
from tests.browser.conftest import screenshot
from tests.browser.test_certificates import log_in
from tests.certificates.conftest import certify

pytestmark = pytest.mark.browser


def test_badge_image_verifies_then_shows_revoked(page, live_app, live_server, make_user,
                                                 make_cohort, tmp_path):
    from tests.conftest import PASSWORD

    admin = make_user("admin@example.jp", Role.ADMIN, name="事務局 管理者")
    holder = make_user("holder@example.jp", Role.TRAINEE, name="山田 太郎")
    cohort = make_cohort(today_tokyo() - timedelta(days=200), name="証明テスト期")
    with live_app.app_context():
        decision = certify(holder, cohort, today_tokyo() - timedelta(days=3))
        from lms.certification.models import CertificationDecision

        cert = certificates.issue(db.session.get(User, admin),
                                  db.session.get(CertificationDecision, decision), today_tokyo())
        db.session.commit()
        cert_id = cert.id

    log_in(page, live_server, "holder@example.jp", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="認定証").click()
    page.get_by_text("デジタル証明（Open Badges 3.0）").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="証明データ入りバッジ画像（PNG）").click()
    badge = tmp_path / "badge.png"
    download_info.value.save_as(badge)
    page.get_by_role("button", name="ログアウト").click()

    def verify_upload() -> str:
        page.goto(live_server + "/credentials/verify")
        page.get_by_label("バッジ画像または証明データのファイル").set_input_files(str(badge))
        page.get_by_label("認定者のメールアドレス（任意）").fill("holder@example.jp")
        page.get_by_role("button", name="確認する").click()
        page.get_by_role("heading", name="結果").wait_for()
        return page.inner_text("main")

    result = verify_upload()
    assert "有効" in result and "入力されたメールアドレスと一致します" in result
    assert "外国人支援コーディネーター認定" in result
    screenshot(page, "credentials-verified")

    with live_app.app_context():
        certificates.revoke(db.session.get(User, admin), db.session.get(Certificate, cert_id),
                            RevocationGround.OTHER, "確認テスト", today_tokyo())
        db.session.commit()
    assert "取消" in verify_upload()
