"""The deadlines job: withdraws exactly those who missed a report, once, even run in parallel."""

import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.assessment.sync import sync_quizzes
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.cohorts.services import enrol
from lms.content.sync import sync_modules
from lms.demo import cohort_dates, sit_quiz
from lms.extensions import db
from lms.mail.models import OutgoingMail
from lms.practice import deadlines, services
from lms.practice.models import ReportStatus
from lms.security import Role
from tests.conftest import authoring_copy


@pytest.fixture
def cohort_in_practice(app, tmp_path, make_user, make_cohort):
    """Four trainees past the progress-report due date: submitted, extended, silent, silent."""
    root = authoring_copy(tmp_path)
    app.config["CONTENT_DIR"] = str(root)
    start = date.today() - timedelta(days=110)  # progress due (day 105) passed 5 days ago
    cid = make_cohort(start)
    admin_id = make_user("admin@example.jp", Role.ADMIN)
    ids = {name: make_user(f"{name}@example.jp", Role.TRAINEE)
           for name in ("submitted", "extended", "silent1", "silent2")}
    with app.app_context():
        sync_modules(root)
        sync_quizzes(root.parent)
        cohort = db.session.get(Cohort, cid)
        for name, uid in ids.items():
            user = db.session.get(User, uid)
            enrolment = enrol(None, cohort, user)
            sit_quiz(user, "comprehensive", passing=True)
            if name == "submitted":
                report = services.report_for(enrolment, "progress")
                report.status, report.values = ReportStatus.SUBMITTED, {"x": "y"}
            if name == "extended":
                services.grant_extension(db.session.get(User, admin_id), enrolment, "progress",
                                         date.today() + timedelta(days=5), "入院のため")
        db.session.commit()
    assert cohort_dates(start)["progress_report_due"] < date.today()
    return ids


def statuses(app) -> dict[int, str]:
    with app.app_context():
        return {e.user_id: e.status.value for e in
                db.session.execute(sa.select(Enrolment)).unique().scalars()}


def test_withdraws_exactly_the_silent_trainees_and_only_once(app, cohort_in_practice):
    with app.app_context():
        db.session.execute(sa.delete(OutgoingMail))  # the test results' mails of the set-up
        first = deadlines.run(date.today())
        db.session.commit()
        second = deadlines.run(date.today())
        db.session.commit()
    assert len(first.withdrawn) == 2 and second.withdrawn == []
    state = statuses(app)
    ids = cohort_in_practice
    assert state[ids["silent1"]] == state[ids["silent2"]] == "withdrawn"
    assert state[ids["submitted"]] == state[ids["extended"]] == "active"
    with app.app_context():
        mails = db.session.execute(sa.select(OutgoingMail.to)).scalars().all()
        assert sorted(m for m in mails if m.startswith("silent")) == [
            "silent1@example.jp", "silent2@example.jp"]
        assert mails.count("admin@example.jp") == 2  # one notice per withdrawal
        assert db.session.execute(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "practice.withdraw")).scalar() == 2


def test_two_runs_at_once_withdraw_once(app, cohort_in_practice):
    results, errors = [], []

    def job():
        try:
            with app.app_context():
                results.append(deadlines.run(date.today()))
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=job) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sum(len(r.withdrawn) for r in results) == 2
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "practice.withdraw")).scalar() == 2


def test_reminders_go_out_seven_and_one_day_before(app, cohort_in_practice):
    ids = cohort_in_practice
    due = date.today() + timedelta(days=5)  # the extended trainee's progress due date
    with app.app_context():
        enrolment = db.session.execute(sa.select(Enrolment).filter_by(
            user_id=ids["extended"])).unique().scalar_one()
        two_days = deadlines.run(due - timedelta(days=2))
        db.session.commit()
        assert all(r[0] != enrolment.id for r in two_days.reminded)
        run = deadlines.run(due - timedelta(days=1))
        db.session.commit()
        assert (enrolment.id, "progress", 1) in run.reminded
        again = deadlines.run(due - timedelta(days=1))
        db.session.commit()
        assert (enrolment.id, "progress", 1) not in again.reminded


def test_withdrawn_trainee_finds_every_later_stage_closed(app, client, auth,
                                                          cohort_in_practice):
    with app.app_context():
        deadlines.run(date.today())
        db.session.commit()
    auth.login("silent1@example.jp")
    for url in ("/practice/", "/practice/reports/final", "/quizzes/comprehensive",
                "/course/modules/a01-short"):
        assert client.get(url).status_code in (403, 404), url
    assert client.post("/practice/reports/final/draft",
                       json={"values": {}}).status_code == 403


def test_reinstate_and_cli(app, runner, cohort_in_practice, make_user):
    result = runner.invoke(args=["lms", "deadlines"])
    assert "withdrawn 2" in result.output
    assert "withdrawn 0" in runner.invoke(args=["lms", "deadlines"]).output
    with app.app_context():
        admin = db.session.execute(sa.select(User).filter_by(email="admin@example.jp")).scalar_one()
        enrolment = db.session.execute(sa.select(Enrolment).where(
            Enrolment.status == EnrolmentStatus.WITHDRAWN)).unique().scalars().first()
        deadlines.reinstate(admin, enrolment, "事情を確認したため")
        db.session.commit()
        assert enrolment.status == EnrolmentStatus.ACTIVE
        assert db.session.execute(sa.select(AuditEvent).filter_by(
            action="practice.reinstate")).scalar_one()
