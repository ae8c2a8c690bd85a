"""The national-scale generator, at a tiny size: every stage present, the schema's rules kept."""

from __future__ import annotations

import sqlalchemy as sa

from benchmarks import seed_large


def test_seed_large_fills_every_stage(tmp_path, capsys):
    url = f"sqlite:///{tmp_path}/large.sqlite3"
    assert seed_large.main(["--trainees", "200", "--cohorts", "12", "--statements", "2000",
                            "--database", url]) == 0
    assert "200 trainees over 12 cohorts" in capsys.readouterr().out
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        def tally(sql):
            return dict(conn.execute(sa.text(sql)).all())

        assert set(tally("SELECT status, count(*) FROM application GROUP BY status")) >= {
            "draft", "submitted", "returned", "accepted"}
        assert set(tally("SELECT status, count(*) FROM enrolment GROUP BY status")) >= {
            "active", "completed"}
        assert set(tally("SELECT kind, count(*) FROM certificate GROUP BY kind")) == {
            "first", "renewal"}
        assert conn.scalar(sa.text("SELECT count(*) FROM certificate "
                                   "WHERE lapsed_on IS NOT NULL")) > 0
        assert conn.scalar(sa.text("SELECT count(*) FROM revocation")) > 0
        for table in ("attempt_item", "report_version", "session_booking", "attendance"):
            assert conn.scalar(sa.text(f"SELECT count(*) FROM {table}")) > 0, table
        assert conn.scalar(sa.text("SELECT count(*) FROM statement")) == 2000
        assert conn.scalar(sa.text("SELECT count(*) FROM statement_ref")) >= 4000
    engine.dispose()
