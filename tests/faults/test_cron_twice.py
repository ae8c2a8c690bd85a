"""Every cron job run twice at the same moment leaves the same result as one run.

Cron on two machines, or a slow run overlapping the next, starts a job twice. On the demo
programme (every stage, with work waiting for each job), each job is run once from a restored
snapshot, then twice at once (two ``flask lms`` processes) from the same snapshot; what the
database holds afterwards, and the mail delivered, must be the same. (``xapi-forward`` twice at
once is proved against Ralph in ``tests/xapi/test_forwarding.py``.)
"""

from __future__ import annotations

import enum
import os
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.booking.models import BookingStatus, SessionBooking
from lms.extensions import db
from lms.mail.models import OutgoingMail
from lms.timeutil import utcnow
from tests.conftest import database_url
from tests.xapi.servers import ROOT

LATER = (date.today() + timedelta(days=200)).isoformat()
JOBS = {
    "deadlines": [],
    "offers": [],
    "mail-flush": [],
    "certificates-daily": ["--today", LATER],
    "application-lapses": ["--today", LATER],
}


def snapshot() -> dict[str, list[dict]]:
    return {t.name: [dict(r._mapping) for r in db.session.execute(sa.select(t))]
            for t in db.metadata.sorted_tables}


def restore(rows: dict[str, list[dict]]) -> None:
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in db.metadata.sorted_tables:
            if rows[table.name]:
                conn.execute(table.insert(), rows[table.name])


def fingerprint(outbox) -> dict:
    """What a job changes, without ids and clock readings: per table the row count and the
    tally of every status-like (enum, boolean) column; the mail by recipient and subject."""
    result = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns
                   if isinstance(c.type, sa.Boolean | sa.Enum)
                   or (isinstance(c.type, sa.TypeDecorator)
                       and isinstance(c.type.impl_instance, sa.Boolean | sa.Enum))
                   or getattr(c.type, "enum_class", None)]
        count = db.session.scalar(sa.select(sa.func.count()).select_from(table))
        tallies = {c.name: Counter(
            v.value if isinstance(v, enum.Enum) else v
            for v in db.session.execute(sa.select(c)).scalars()) for c in columns}
        result[table.name] = (count, tallies)
    result["mail"] = sorted(db.session.execute(sa.select(
        OutgoingMail.to, OutgoingMail.subject, OutgoingMail.sent_at.is_not(None))).all())
    result["delivered"] = len(os.listdir(outbox)) if os.path.isdir(outbox) else 0
    return result


def run_job(app, job: str, copies: int, outbox) -> list[str]:
    """Start *copies* ``flask lms JOB`` processes at once; return their last output lines."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
    env.update({"LMS_DATABASE_URL": database_url(), "LMS_SECRET_KEY": "cron-twice",
                "LMS_MAIL_OUTBOX": str(outbox), "FLASK_APP": "lms",
                "LMS_CREDENTIAL_KEY_DIR": app.config["CREDENTIAL_KEY_DIR"]})
    procs = [subprocess.Popen([sys.executable, "-m", "flask", "lms", job, *JOBS[job]], env=env,
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True) for _ in range(copies)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    for p, out in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out
    return [out.strip().splitlines()[-1] for out in outputs]


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        # work waiting for the jobs that the demo leaves nothing for (the lapsed offer lapses;
        # nobody waits behind it in the demo, so "offered 0" with the booking now expired)
        waiting = db.session.execute(sa.select(SessionBooking).filter_by(
            status=BookingStatus.WAITLISTED)).scalars().first()
        assert waiting is not None, "the demo has a waitlist"
        waiting.status = BookingStatus.OFFERED
        waiting.offer_expires_at = utcnow() - timedelta(hours=1)
        for message in db.session.execute(sa.select(OutgoingMail).limit(3)).scalars():
            message.sent_at = None
        db.session.commit()
        rows = snapshot()
    return rows


def test_every_cron_job_twice_at_once_equals_once(app, runner, demo, tmp_path):
    did = {}
    with app.app_context():
        for job in JOBS:
            restore(demo)
            once_out = tmp_path / f"{job}-once"
            app.config["MAIL_OUTBOX"] = str(once_out)
            result = runner.invoke(args=["lms", job, *JOBS[job]])  # once, in this process
            assert result.exit_code == 0, result.output
            did[job] = result.output.strip().splitlines()[-1]
            db.session.remove()
            once = fingerprint(once_out)
            db.session.remove()

            restore(demo)
            twice_out = tmp_path / f"{job}-twice"
            outputs = run_job(app, job, 2, twice_out)
            twice = fingerprint(twice_out)
            db.session.remove()
            assert twice == once, f"{job}: twice at once differs from once ({outputs})"
    # each job had something to do, so "the same" is not "nothing happened twice"
    assert "withdrawn 0" not in did["deadlines"], did
    assert did["mail-flush"] != "sent 0, failed 0", did
    assert "lapsed 0" not in did["certificates-daily"], did
    assert did["application-lapses"] != "lapsed 0", did
