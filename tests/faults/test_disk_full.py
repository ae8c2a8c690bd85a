"""The disk full for uploads: a clear message, nothing half-written, the draft unchanged."""

from __future__ import annotations

import errno
import io
import os

import pytest
import sqlalchemy as sa

from lms import storage
from lms.extensions import db
from lms.practice.models import PracticeReport
from lms.storage import StorageFull, write_atomically
from tests.conftest import text_of
from tests.practice.test_flow import goal_values


@pytest.fixture
def full_disk(monkeypatch):
    """Every write of an upload fails half-way with ENOSPC, as a full disk does."""
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[: len(data) // 2])  # some bytes reach the disk, then it is full
            self.fh.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))


def files_under(folder) -> list[str]:
    return [os.path.join(d, f) for d, _, names in os.walk(folder) for f in names]


def test_write_atomically_leaves_nothing_behind(tmp_path, full_disk):
    with pytest.raises(StorageFull):
        write_atomically(tmp_path / "a" / "b.pdf", b"%PDF-1.4" * 1000)
    assert files_under(tmp_path) == []


def test_write_atomically_writes_the_whole_file(tmp_path):
    write_atomically(tmp_path / "a" / "b.pdf", b"%PDF-1.4 whole")
    assert (tmp_path / "a" / "b.pdf").read_bytes() == b"%PDF-1.4 whole"
    assert files_under(tmp_path) == [str(tmp_path / "a" / "b.pdf")]


def test_a_practice_upload_on_a_full_disk_says_so(app, client, auth, tmp_path, enrolled,
                                                 full_disk):
    enrolled(1)
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    app.config["FINAL_REPORT_AFTER_PROGRESS"] = False  # attach before the progress report
    auth.login("t0@example.jp")
    client.post("/practice/reports/goal", data={**goal_values(app), "action": "submit",
                                                "confirm": "yes"})
    page = client.post("/practice/reports/final/files/attachment",
                       data={"file": (io.BytesIO(b"%PDF-1.4 " + b"x" * 4096), "事例.pdf")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert page.status_code == 200
    assert "保存領域が不足" in text_of(page.text)
    assert files_under(tmp_path / "uploads") == []
    with app.app_context():
        report = db.session.execute(
            sa.select(PracticeReport).filter_by(kind="final")).scalar_one_or_none()
        assert report is None or "attachment" not in report.values
