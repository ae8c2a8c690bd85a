"""The registry and the applications plug into the office's exports and programme view."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.conftest import text_of


def _csv(client, name: str) -> list[list[str]]:
    response = client.get(f"/admin/exports/{name}.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_registry_exports_every_certificate_with_its_status(demo):
    rows = _csv(demo, "registry")
    assert rows[0][:2] == ["認定番号", "氏名"]
    by_name = {r[1]: r for r in rows[1:]}
    assert {"小林 誠", "中村 さくら", "加藤 健一", "吉田 真理"} <= set(by_name)
    assert by_name["加藤 健一"][9] == "取消" and by_name["加藤 健一"][10]
    assert by_name["吉田 真理"][9] == "失効"
    sheet = load_workbook(io.BytesIO(demo.get("/admin/exports/registry.xlsx").data)).active
    values = list(sheet.values)
    assert len(values) == len(rows)
    assert values[1][6] is not None and hasattr(values[1][6], "year")  # dates stay dates


def test_the_applications_export_leaves_out_drafts_and_keeps_the_reasons(demo):
    rows = _csv(demo, "applications")
    statuses = [r[6] for r in rows[1:]]
    assert "下書き" not in statuses and len(rows) - 1 == 4  # 5 demo applications, 1 a draft
    assert any("従事日数 142日（180日以上が必要）" in r[10] for r in rows[1:])


def test_the_programme_view_shows_prefectures_desks_fiscal_years_and_renewals(demo):
    page = text_of(demo.get("/admin/office/programme").text)
    for title in ("都道府県別の受講者数", "相談窓口の種別", "年度別の認定者数",
                  "今後6か月に有効期間が満了する認定証"):
        assert title in page, title


def test_each_chart_names_its_own_columns(demo):
    """A chart's data table says what its bars are (not the quiz term 設問 / 件数)."""
    html = demo.get("/admin/office/programme").text
    tables = html.split('class="data chart-data"')[1:]
    heads = [text_of(t.split("</thead>")[0]) for t in tables]
    assert heads and not any("設問" in h for h in heads), heads
    assert any("テスト" in h and "合格率" in h for h in heads), heads


def test_the_nudge_table_shows_the_organisation_from_the_application(app, demo):
    from lms.applications.models import Application, ApplicationStatus
    from lms.cohorts.models import Cohort
    from lms.extensions import db

    with app.app_context():
        accepted = db.session.execute(db.select(Application).filter_by(
            status=ApplicationStatus.ACCEPTED)).scalar_one()
        organisation, cohort_id = accepted.organisation, accepted.cohort_id
        assert organisation and db.session.get(Cohort, cohort_id)
    page = text_of(demo.get(f"/admin/office/?cohort={cohort_id}").text)
    assert organisation in page
