"""The instructors' review queue, one page at a time (lms/practice/queue.py)."""

import re
from datetime import date, timedelta

import pytest

from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.extensions import db
from lms.practice import queue
from lms.practice.models import PracticeReport, ReportStatus, ReportVersion
from lms.security import Role
from lms.timeutil import utcnow
from tests.conftest import text_of


@pytest.fixture
def cohorts(app, make_user, make_cohort, monkeypatch):
    """An older cohort with five submitted goal sheets (the first in two versions) and a
    newer cohort with only a draft; two reports a page."""
    monkeypatch.setattr(queue, "PER_PAGE", 2)
    older = make_cohort(date.today() - timedelta(days=120), name="旧期")
    newer = make_cohort(date.today() - timedelta(days=30), name="新期")
    trainees = [make_user(f"t{n}@example.jp", Role.TRAINEE, name=f"受講 {n}")
                for n in range(1, 7)]
    with app.app_context():
        for n, uid in enumerate(trainees):
            cohort = db.session.get(Cohort, newer if n == 5 else older)
            enrolment = enrol(None, cohort, db.session.get(User, uid))
            db.session.flush()
            report = PracticeReport(
                enrolment_id=enrolment.id, user_id=uid, kind="goal", values={},
                status=ReportStatus.DRAFT if n == 5 else ReportStatus.SUBMITTED,
                submitted_at=None if n == 5 else utcnow() + timedelta(minutes=n))
            db.session.add(report)
            db.session.flush()
            for number in range(1, (3 if n == 0 else 2) if n != 5 else 1):
                db.session.add(ReportVersion(report_id=report.id, number=number, values={}))
        db.session.commit()
    make_user("teacher@example.jp", Role.INSTRUCTOR)
    return older, newer


def _trainees(client, **args) -> list[str]:
    return re.findall(r"<tr><td>(受講 \d)", client.get("/staff/practice/",
                                                     query_string=args).text)


def test_opens_on_the_cohort_with_work_and_pages_it(client, auth, cohorts):
    older, _ = cohorts
    auth.login("teacher@example.jp")
    html = client.get("/staff/practice/").text
    assert f'<option value="{older}" selected' in html
    pages = [_trainees(client, page=n) for n in (1, 2, 3)]
    assert pages == [["受講 1", "受講 2"], ["受講 3", "受講 4"], ["受講 5"]]
    assert _trainees(client, page=9) == ["受講 5"]
    assert "5件中 5–5件目" in text_of(client.get("/staff/practice/?page=3").text)
    assert f"cohort={older}" in html and "status=submitted" in html and "page=2" in html


def test_version_counts_and_a_filter_with_a_page(app, client, auth, cohorts):
    _, newer = cohorts
    auth.login("teacher@example.jp")
    html = client.get("/staff/practice/").text
    assert re.search(r"受講 1.*?<td>2</td>", html, re.S)  # two versions submitted
    assert _trainees(client, cohort=newer, status="draft") == ["受講 6"]
    assert _trainees(client, cohort=newer, status="submitted", page=2) == []
    empty = text_of(client.get(f"/staff/practice/?cohort={newer}&status=accepted").text)
    assert "0件" in empty


def test_trainees_cannot_open_the_queue(client, auth, cohorts):
    auth.login("t1@example.jp")
    assert client.get("/staff/practice/").status_code == 403
