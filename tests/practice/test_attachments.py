"""Attachments to practice reports: stored by the server, readable only by those entitled."""

import io

import sqlalchemy as sa

from lms.extensions import db
from lms.practice.models import PracticeReport
from lms.security import Role
from tests.factories import goal_values


def upload(client, name: str, data: bytes = b"%PDF-1.4 demo"):
    return client.post("/practice/reports/final/files/attachment",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_upload_download_and_who_may_read(app, client, auth, make_user, practice_trainee):
    app.config["FINAL_REPORT_AFTER_PROGRESS"] = False  # attach before the progress report
    client.post("/practice/reports/goal", data={**goal_values(app), "action": "submit",
                                                "confirm": "yes"})
    page = upload(client, "事例資料.pdf")
    assert "ファイルを添付しました" in page.text
    refused = upload(client, "virus.exe")
    assert "この形式のファイルは受け付けていません" in refused.text
    with app.app_context():
        report = db.session.execute(sa.select(PracticeReport).filter_by(kind="final")).scalar_one()
        meta, report_id = report.values["attachment"], report.id
    assert meta["name"] == "事例資料.pdf" and meta["size"] == len(b"%PDF-1.4 demo")
    url = f"/staff/practice/reports/{report_id}/files/attachment"
    assert client.get(url).data == b"%PDF-1.4 demo"

    # a forged draft cannot point the attachment somewhere else
    client.post("/practice/reports/final/draft", json={"values": {
        "attachment": {"name": "x.pdf", "size": 1, "stored": "../../pyproject.toml"}}})
    with app.app_context():
        assert db.session.get(PracticeReport, report_id).values["attachment"] == meta

    auth.logout()
    make_user("other@example.jp", Role.TRAINEE)
    auth.login("other@example.jp")
    assert client.get(url).status_code == 404
    auth.logout()
    make_user("i@example.jp", Role.INSTRUCTOR)
    auth.login("i@example.jp")
    assert client.get(url).status_code == 200


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\0" * 32


def test_content_decides_the_type_and_a_replaced_file_is_deleted(app, client,
                                                                  practice_trainee):
    import os

    app.config["FINAL_REPORT_AFTER_PROGRESS"] = False  # attach before the progress report
    client.post("/practice/reports/goal", data={**goal_values(app), "action": "submit",
                                                "confirm": "yes"})
    disguised = upload(client, "report.pdf", b"MZ\x90\x00" + b"\0" * 60)  # a program
    assert "この形式のファイルは受け付けていません" in disguised.text
    assert "ファイルを添付しました" in upload(client, "report.pdf").text
    folder = app.config["UPLOAD_DIR"]

    def stored():
        with app.app_context():
            report = db.session.execute(
                sa.select(PracticeReport).filter_by(kind="final")).scalar_one()
            return os.path.join(folder, report.values["attachment"]["stored"])

    first = stored()
    assert os.path.isfile(first)
    assert "ファイルを添付しました" in upload(client, "写真.png", PNG).text
    second = stored()
    assert second.endswith(".png") and os.path.isfile(second)
    assert not os.path.exists(first)  # the replaced copy is gone
