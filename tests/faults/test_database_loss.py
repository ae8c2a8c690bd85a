"""PostgreSQL connections cut under load: requests fail with the error page, then recover.

Restarting the shared PostgreSQL server would disturb everyone else on it, so the test does
what a restart does to *this* LMS: ``pg_terminate_backend`` on every connection the instance
holds (tagged with its ``application_name``), again and again while a trainee works. No
request may hang or answer anything but a page or the LMS's own error page; once the cuts stop,
the same gunicorn process serves again (no restart) and what it acknowledged is stored.
"""

from __future__ import annotations

import threading
import time
import urllib.error

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.practice.forms_cache import report_forms
from lms.practice.models import PracticeReport
from tests.conftest import database_url
from tests.faults.servers import Browser, LmsInstance

ERROR_PAGE = "問題が発生"  # the LMS's Japanese error page (or its plain fallback)


def cut_connections(name: str, stop: threading.Event, cuts: list[int]) -> None:
    engine = sa.create_engine(database_url().replace("postgresql://", "postgresql+psycopg://",
                                                     1), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        while not stop.is_set():
            killed = conn.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name"), {"name": name}).scalar()
            cuts.append(killed)
            time.sleep(0.03)
    engine.dispose()


def test_connections_cut_under_load_fail_cleanly_and_recover(app, tmp_path, enrolled):
    if not database_url().startswith("postgresql"):
        # runs in the PostgreSQL pass of `make test` (which CI requires); SQLite has no row locks
        pytest.skip("PostgreSQL only: runs in the PostgreSQL pass (LMS_TEST_DATABASE_URL)")
    enrolled(1)
    with app.app_context():
        field = next(f.id for f in report_forms()["goal"].fields if f.type == "text")
    with LmsInstance(tmp_path / "srv", app.config["CONTENT_DIR"], name="lms-dbloss",
                     workers=1) as server:
        browser = Browser(server.url).login("t0@example.jp")
        stop, cuts = threading.Event(), []
        cutter = threading.Thread(target=cut_connections, args=("lms-dbloss", stop, cuts))
        cutter.start()
        statuses: list[int] = []
        acknowledged: list[int] = []
        try:
            deadline = time.monotonic() + 3
            i = 0
            while time.monotonic() < deadline:
                i += 1
                status, body = browser.status_of("/trainee/")
                statuses.append(status)
                assert status in (200, 500), status
                if status == 500:
                    assert ERROR_PAGE in body, "the LMS's own error page, in Japanese"
                try:
                    saved = browser.post("/practice/reports/goal/draft",
                                         json_body={"values": {field: f"第{i}版"}})
                    statuses.append(saved.status)
                    acknowledged.append(i)
                except urllib.error.HTTPError as exc:
                    statuses.append(exc.code)
                    assert exc.code == 500, exc.code
        finally:
            stop.set()
            cutter.join(10)
        assert sum(cuts) > 0, "connections were cut"

        # the same process, not restarted, serves normally again
        pid = server.proc.pid
        for _ in range(5):
            assert browser.status_of("/trainee/")[0] == 200
        final = browser.post("/practice/reports/goal/draft",
                             json_body={"values": {field: "最終版"}})
        assert final.status == 200 and server.proc.pid == pid
        with app.app_context():
            row = db.session.execute(sa.select(PracticeReport)).scalar_one()
            assert row.values[field] == "最終版"
    print(f"cuts {sum(cuts)}; responses {len(statuses)}, of which 500: {statuses.count(500)}")
