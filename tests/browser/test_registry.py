"""The demo's registry (認定者名簿) and the public organisation list (所属機関リスト)."""

import pytest

from lms.demo import DEMO_PASSWORD, seed
from lms.extensions import db
from lms.timeutil import today_tokyo
from tests.browser.conftest import screenshot
from tests.browser.test_certificates import log_in

pytestmark = pytest.mark.browser


def test_registry_shows_each_status_and_the_list_only_consenting(page, live_app, live_server):
    with live_app.app_context():
        seed(today_tokyo())
        db.session.commit()
    page.goto(live_server + "/certificates/organisations")
    listed = page.inner_text("main")
    assert "豊橋市国際交流協会" in listed
    assert "横浜市多文化共生相談窓口" not in listed  # did not consent
    assert "さいたま外国人支援ネット" not in listed  # consented, but revoked

    log_in(page, live_server, "admin@demo.example", DEMO_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="認定者名簿").click()
    page.get_by_role("heading", level=1, name="認定者名簿").wait_for()
    rows = {row.inner_text().split("\t")[1]: row.inner_text()
            for row in page.locator("table.registry tbody tr").all()}
    assert "有効" in rows["小林 誠"]
    assert "取消" in rows["加藤 健一"] and "失効" in rows["吉田 真理"]
    page.get_by_label("状態").select_option("revoked")
    page.get_by_role("button", name="検索").click()
    page.get_by_text("1名").wait_for()
    assert "加藤 健一" in page.inner_text("table.registry")
    page.get_by_role("link", name="加藤 健一").click()
    page.get_by_role("heading", level=1, name="加藤 健一").wait_for()
    screenshot(page, "registry-person")
