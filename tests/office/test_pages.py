"""The office pages on the demo: nudge table, trainee timeline, exports, audit log."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from lms.audit import record
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from tests.conftest import text_of


def _cohort_id(app, name="2026年度 第1期") -> int:
    from lms.cohorts.models import Cohort

    with app.app_context():
        return db.session.execute(db.select(Cohort.id).filter_by(name=name)).scalar_one()


def _table(client, url: str) -> str:
    html = client.get(url).text
    return text_of(html[html.index('id="trainee-table"'):html.index("</table>")])


def test_the_overdue_filter_finds_the_demo_trainee(app, demo):
    cid = _cohort_id(app)
    page = _table(demo, f"/admin/office/?cohort={cid}&flag=overdue")
    assert "受講生 中村 久美" in page and "受講生 伊藤 四郎" not in page
    everyone = _table(demo, f"/admin/office/?cohort={cid}&sort=progress&desc=1")
    assert everyone.index("受講生 伊藤 四郎") < everyone.index("受講生 中村 久美")
    returned = _table(demo, f"/admin/office/?cohort={cid}&flag=returned")
    assert "受講生 渡辺 五月" in returned and "受講生 中村 久美" not in returned
    found = _table(demo, f"/admin/office/?cohort={cid}&q=四郎")
    assert "受講生 伊藤 四郎" in found and "受講生 渡辺 五月" not in found
    overdue_lists = text_of(demo.get(f"/admin/office/?cohort={cid}").text)
    assert "受講生 中村 久美" in overdue_lists.split("養成課程① 終了日")[-1]


def test_a_trainees_page_reads_their_timeline(app, demo):
    from lms.cohorts.models import Enrolment

    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(
            email="trainee4@demo.example")).scalar_one()
        enrolment_id = db.session.execute(db.select(Enrolment.id).filter_by(
            user_id=user.id)).scalar_one()
    page = demo.get(f"/admin/office/trainees/{enrolment_id}").text
    assert "合格した" in page and "受理した" in page  # verbs of the xAPI statements
    assert "/staff/practice/reports/" in page  # links to the records


def test_exports_hold_the_pages_rows_and_guard_formulas(app, demo):
    cid = _cohort_id(app)
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(
            email="trainee5@demo.example")).scalar_one()
        user.name = "=1+1"
        other = db.session.execute(db.select(User).filter_by(
            email="trainee6@demo.example")).scalar_one()
        other.name = "＝1+1"
        db.session.commit()
    raw = demo.get(f"/admin/exports/trainees.csv?cohort={cid}")
    assert raw.is_streamed and raw.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.data.decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(demo.get(f"/admin/exports/trainees.xlsx?cohort={cid}").data))
    sheet = book.active
    cells = [[c for c in row] for row in sheet.iter_rows()]
    as_text = [["" if c.value is None else str(c.value) for c in row] for row in cells]
    assert rows[0][0] == "氏名" and as_text[0] == rows[0]
    assert len(rows) == len(as_text) == 5
    names = {r[0] for r in rows[1:]}
    assert {"'=1+1", "'＝1+1"} <= names
    typed = {row[0].value: row for row in cells[1:]}
    assert typed["'=1+1"][0].data_type == "s"
    assert typed["'=1+1"][4].data_type == "n"  # progress stays a number
    with app.app_context():
        events = db.session.execute(db.select(AuditEvent).filter_by(
            action="export.download")).scalars().all()
        assert len(events) == 2


def _audit_table(client, url: str) -> str:
    html = client.get(url).text
    return text_of(html[html.index('id="audit-table"'):html.index("</table>")])


def test_audit_log_reads_in_japanese_with_names_filters_and_export(app, demo):
    with app.app_context():
        admin = db.session.execute(db.select(User).filter_by(
            email="admin@demo.example")).scalar_one()
        record(admin, "cohort.update", ("Cohort", "1"), {"changes": {"name": ["旧", "新"]}})
        db.session.commit()
        admin_id = admin.id
    page = _audit_table(demo, f"/admin/audit?actor={admin_id}")
    assert "旧 → 新" in page and "\\u" not in page
    assert "講師 山田 花子" not in page  # filtered to the administrator
    reviews = _audit_table(demo, "/admin/audit?action=practice.review")
    assert "受講生 渡辺 五月" in reviews and "差戻し" in reviews
    exported = demo.get("/admin/exports/audit.csv?action=practice.review").data.decode("utf-8-sig")
    with app.app_context():
        reviewed = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "practice.review"))
    assert reviewed >= 7 and exported.count("\n") == 1 + reviewed  # header + every review


def test_a_large_audit_export_streams_in_chunks(app, demo):
    with app.app_context():
        for n in range(1200):
            record(None, "cohort.update", ("Cohort", "1"), {"changes": {"name": [f"{n}", "x"]}})
        db.session.commit()
    response = demo.get("/admin/exports/audit.csv", buffered=False)
    chunks = list(response.response)
    assert len(chunks) >= 3  # written 500 rows at a time, never built whole
    assert b"".join(chunks).decode("utf-8-sig").count("\r\n") > 1200
