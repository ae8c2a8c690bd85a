"""lms.uploads: content decides the type; files are deleted with the transaction's outcome."""

import io

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.uploads import (
    UploadRefused,
    check_upload,
    delete_after_commit,
    delete_after_rollback,
)

PDF = b"%PDF-1.7\n" + b"0" * 100
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\0" * 32
JPEG = bytes.fromhex("ffd8ffe000104a464946000101") + b"\0" * 32


def test_the_content_decides_not_the_name():
    assert check_upload(io.BytesIO(PDF), {"pdf"}, 1000).kind == "pdf"
    assert check_upload(JPEG, {"jpeg", "png"}, 1000).kind == "jpg"  # jpeg and jpg alike
    with pytest.raises(UploadRefused) as refused:
        check_upload(PNG, {"pdf"}, 1000)
    assert refused.value.code == "not_allowed" and refused.value.detected == "png"
    assert pytest.raises(UploadRefused, check_upload, b"plain text", {"pdf"}, 1000) \
        .value.code == "unknown_type"
    assert pytest.raises(UploadRefused, check_upload, b"", {"pdf"}, 1000).value.code == "empty"


def test_the_limit_is_enforced_while_reading():
    stream = io.BytesIO(PDF + b"0" * 10_000)
    with pytest.raises(UploadRefused, match="too_large"):
        check_upload(stream, {"pdf"}, 500)
    assert stream.tell() == 501  # no more was read


def test_files_follow_the_transaction(app, tmp_path):
    kept, dropped, orphan = (tmp_path / n for n in ("kept", "dropped", "orphan"))
    for path in (kept, dropped, orphan):
        path.write_bytes(b"x")
    with app.app_context():
        db.session.execute(sa.text("SELECT 1"))  # a transaction is open, as in a request
        delete_after_commit(db.session, kept)
        delete_after_rollback(db.session, orphan)
        db.session.rollback()
        assert kept.exists() and not orphan.exists()
        delete_after_commit(db.session, dropped)
        db.session.commit()
        assert not dropped.exists()


def test_office_files_are_known_whatever_the_order_of_their_parts():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("docProps/app.xml", "<x/>")  # not the order Word writes
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert check_upload(buffer.getvalue(), {"xlsx", "pdf"}, 10_000).kind == "xlsx"
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("notes.txt", "x")
    assert pytest.raises(UploadRefused, check_upload, plain.getvalue(), {"docx"}, 10_000) \
        .value.detected == "zip"


def test_the_name_must_promise_what_the_content_is():
    assert check_upload(JPEG, {"jpg"}, 1000, filename="写真.JPEG").kind == "jpg"
    with pytest.raises(UploadRefused, match="mismatch"):
        check_upload(PNG, {"png", "pdf"}, 1000, filename="report.pdf")
