"""The office's daily work in a real browser: overdue trainees, a timeline, exports; and an
instructor's content fix published by an administrator."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lms.auth.models import User
from lms.demo import DEMO_PASSWORD, _watch, seed
from lms.extensions import db
from lms.security import Role
from lms.timeutil import today_tokyo
from tests.browser.conftest import screenshot
from tests.browser.test_roles import log_in
from tests.conftest import PASSWORD, seeded

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(live_app):
    seeded(live_app, "sample programme, demo, formula names", lambda: _demo(live_app))


def _demo(live_app) -> None:
    assert live_app.test_cli_runner().invoke(args=["content", "sync"]).exit_code == 0
    with live_app.app_context():
        seed(today_tokyo())
        db.session.flush()
        # names a spreadsheet would run as formulas, half- and full-width
        for email, name in (("trainee-overdue@demo.example", "=1+1"), ("trainee4@demo.example",
                                                                 "＝1+1")):
            db.session.execute(db.select(User).filter_by(email=email)).scalar_one().name = name
        db.session.commit()


def _download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    with open(info.value.path(), "rb") as fh:
        return fh.read()


def _text(cell) -> str:
    """An XLSX cell as the CSV writes it (dates ISO, times to the minute)."""
    if cell.value is None:
        return ""
    if isinstance(cell.value, datetime):
        return cell.value.strftime("%Y-%m-%d %H:%M" if "hh" in cell.number_format
                                   else "%Y-%m-%d")
    return str(cell.value)


def _both_exports(page) -> list[list[str]]:
    """Download the table as CSV and XLSX; they must hold the same rows. Returns the rows."""
    raw = _download(page, "CSV で出力")
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(_download(page, "Excel で出力"))).active
    cells = list(sheet.iter_rows())
    assert [[_text(c) for c in row] for row in cells] == rows
    for row in cells[1:]:
        assert row[0].data_type == "s"  # names are text, never formulas
    return rows


def test_admin_finds_overdue_trainees_opens_a_timeline_and_exports(page, live_server, demo):
    log_in(page, live_server, "admin@demo.example", DEMO_PASSWORD)
    page.get_by_role("link", name="要フォロー受講生").first.click()
    page.get_by_label("期").select_option(label="2026年度 第1期")
    page.get_by_label("表示").select_option(value="overdue")
    page.get_by_role("button", name="絞り込み").click()
    table = page.locator("#trainee-table")
    assert table.locator("tbody tr").count() == 1
    assert "期限超過" in table.inner_text() and "=1+1" in table.inner_text()
    screenshot(page, "office-overdue")

    rows = _both_exports(page)
    assert rows[0][:3] == ["氏名", "メールアドレス", "所属機関"]
    assert [r[0] for r in rows[1:]] == ["'=1+1"]

    table.get_by_role("link", name="=1+1").click()
    page.get_by_role("heading", level=1, name="=1+1").wait_for()
    timeline = page.locator("#timeline").inner_text()
    assert "登録した" in timeline and "2026年度 第1期" in timeline
    screenshot(page, "office-timeline")

    page.go_back()
    page.get_by_label("表示").select_option(value="")
    page.get_by_role("button", name="絞り込み").click()
    rows = _both_exports(page)
    assert {"'=1+1", "'＝1+1"} <= {r[0] for r in rows[1:]} and len(rows) == 5


def test_instructor_fixes_a_module_and_an_administrator_publishes_it(
        page, live_server, live_app, enrolled_trainee, make_user):
    root = live_app.config["CONTENT_DIR"]
    with live_app.app_context():
        trainee = db.session.execute(db.select(User).filter_by(
            email=enrolled_trainee)).scalar_one()
        _watch(trainee, {"A"})  # a01-short watched to the end
        db.session.commit()
    make_user("teacher@example.jp", Role.INSTRUCTOR)
    make_user("office@example.jp", Role.ADMIN)
    source = Path(root) / "modules" / "a01-short.md"
    good = source.read_text(encoding="utf-8")
    revised = good.replace("テスト用の講義本文です。", "改訂した講義本文です。")
    source.write_text(revised.replace("duration: 6\n", "duration: six\n"), encoding="utf-8")

    log_in(page, live_server, "teacher@example.jp", PASSWORD)
    page.get_by_role("link", name="コンテンツの状態とプレビュー").first.click()
    problems = page.locator("#content-problems").inner_text()
    assert "modules/a01-short.md:" in problems and "duration" in problems
    screenshot(page, "content-problem")
    source.write_text(revised, encoding="utf-8")
    page.reload()
    assert page.locator("#content-problems").count() == 0
    assert "変更あり" in page.locator("#content-status").inner_text()
    assert page.get_by_role("button", name="公開する").count() == 0  # administrators publish
    page.get_by_role("button", name="ログアウト").click()

    log_in(page, live_server, "office@example.jp", PASSWORD)
    page.goto(live_server + "/instructor/preview/")
    page.get_by_role("button", name="公開する").click()
    page.get_by_text("公開しました：追加 0件、更新 1件").wait_for()
    page.get_by_role("button", name="ログアウト").click()

    log_in(page, live_server, enrolled_trainee, PASSWORD)
    page.goto(live_server + "/course/modules/a01-short")
    assert "改訂した講義本文です。" in page.inner_text("main")
    page.goto(live_server + "/course/")
    assert "100%" in page.inner_text("main")
