"""The deadlines job: withdraws exactly those who missed a report, once, even run in parallel."""

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
from lms.xapi.models import Statement
from tests.conftest import authoring_copy
from tests.factories import at_once


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
        # an administrative decision: the LMS is the actor, the trainee is named in context
        withdrawals = db.session.execute(sa.select(Statement.payload).where(
            Statement.verb_id == "http://lms.test/vocab/verbs/treated-as-withdrawn")
        ).scalars().all()
        silent = {db.session.get(User, ids[k]).public_id for k in ("silent1", "silent2")}
    assert len(withdrawals) == 2
    assert {w["actor"]["account"]["name"] for w in withdrawals} == {"lms"}
    assert {w["context"]["extensions"]["http://lms.test/vocab/extensions/trainee"]["account"][
        "name"] for w in withdrawals} == silent
    assert all(w["context"]["registration"] for w in withdrawals)


def test_two_runs_at_once_withdraw_once(app, cohort_in_practice):
    results, errors = [], []

    def job():
        try:
            with app.app_context():
                results.append(deadlines.run(date.today()))
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    at_once(job, [()] * 2, 30)
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
        with pytest.raises(services.PracticeError, match="reinstate_needs_dates"):
            deadlines.reinstate(admin, enrolment, "事情を確認したため")
        deadlines.reinstate(admin, enrolment, "事情を確認したため",
                            {"progress": date.today() + timedelta(days=7)})
        db.session.commit()
        assert enrolment.status == EnrolmentStatus.ACTIVE
        event = db.session.execute(sa.select(AuditEvent).filter_by(
            action="practice.reinstate")).scalar_one()
        assert event.details["new_dues"] == {
            "progress": (date.today() + timedelta(days=7)).isoformat()}
        reinstated = enrolment.id
    # the extension came with the reinstatement: the next nightly run leaves them be
    assert "withdrawn 0" in runner.invoke(args=["lms", "deadlines"]).output
    with app.app_context():
        assert db.session.get(Enrolment, reinstated).status == EnrolmentStatus.ACTIVE


def test_a_returned_report_withdraws_only_as_configured(app, practice_trainee):
    from lms.practice.models import PracticeReport

    with app.app_context():
        enrolment = db.session.execute(sa.select(Enrolment)).unique().scalar_one()
        for kind in ("progress", "final"):
            report = services.report_for(enrolment, kind)
            report.status, report.values = ReportStatus.RETURNED, {"x": "y"}
            report.revision_due_on = date.today() - timedelta(days=1)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PracticeReport)) >= 2
    # both due dates passed: with the default reading the returned reports withdraw ...
    app.config["RETURNED_REPORT_WITHDRAWS"] = False
    with app.app_context():
        cohort = db.session.execute(sa.select(Cohort)).unique().scalar_one()
        today = cohort.final_report_due + timedelta(days=1)
        assert deadlines.run(today).withdrawn == []
        app.config["RETURNED_REPORT_WITHDRAWS"] = True
        assert len(deadlines.run(today).withdrawn) == 1
        db.session.commit()


def test_voluntary_and_office_withdrawals_are_audited_and_mailed(app, client, auth,
                                                                 make_user, practice_trainee):
    page = client.get("/trainee/withdraw")
    assert "辞退届" in page.text
    refused = client.post("/trainee/withdraw", data={"reason": "転居のため"},
                          follow_redirects=True)
    assert "チェックを入れてください" in refused.text
    done = client.post("/trainee/withdraw", data={"reason": "転居のため", "confirm": "yes"},
                       follow_redirects=True)
    assert "辞退届を受け付けました" in done.text
    assert done.text.count("辞退として取り扱われた") <= 1
    with app.app_context():
        enrolment = db.session.execute(sa.select(Enrolment)).unique().scalar_one()
        assert enrolment.status == EnrolmentStatus.WITHDRAWN
        event = db.session.execute(sa.select(AuditEvent).filter_by(
            action="practice.withdraw")).scalar_one()
        assert event.actor_id == practice_trainee and event.details["cause"] == "voluntary"
        assert "転居のため" in event.details["reason"]
        mail = db.session.execute(sa.select(OutgoingMail).filter_by(
            to="p@example.jp")).scalars().all()
        assert any("辞退届を受け付けました" in m.subject for m in mail)
        # the office reinstates (nothing overdue), then withdraws with a reason
        admin_id = make_user("office@example.jp", Role.ADMIN)
        deadlines.reinstate(db.session.get(User, admin_id), enrolment, "誤って提出されたため")
        db.session.commit()
        enrolment_id = enrolment.id
    auth.logout()
    auth.login("office@example.jp")
    no_reason = client.post(f"/staff/practice/enrolments/{enrolment_id}",
                            data={"action": "withdraw", "reason": " "}, follow_redirects=True)
    assert "辞退として取り扱う理由を入力してください" in no_reason.text
    client.post(f"/staff/practice/enrolments/{enrolment_id}",
                data={"action": "withdraw", "reason": "受講要件を満たさないことが判明"})
    with app.app_context():
        enrolment = db.session.get(Enrolment, enrolment_id)
        assert enrolment.status == EnrolmentStatus.WITHDRAWN
        event = db.session.execute(sa.select(AuditEvent).filter_by(
            action="practice.withdraw").order_by(AuditEvent.id.desc())).scalars().first()
        assert event.actor_id == admin_id and event.details["cause"] == "office"
        mail = db.session.execute(sa.select(OutgoingMail).filter_by(
            to="p@example.jp")).scalars().all()
        assert any("受講要件を満たさないことが判明" in m.body for m in mail)


def test_the_job_withdraws_through_the_one_service_and_frees_the_seat(app, cohort_in_practice):
    """A silent trainee's course ② booking is cancelled and the seat offered on."""
    from lms.booking import services as booking
    from lms.booking.models import BookingStatus, SessionBooking
    from tests.factories import make_session
    ids = cohort_in_practice
    with app.app_context():
        cohort_id = db.session.execute(sa.select(Cohort.id)).scalar_one()
    sid = make_session(app, cohort_id, capacity=1)
    with app.app_context():
        from lms.booking.models import CourseSession

        session = db.session.get(CourseSession, sid)
        booking.book(db.session.get(User, ids["silent1"]), session)
        booking.book(db.session.get(User, ids["submitted"]), session)
        db.session.commit()
        deadlines.run(date.today())
        db.session.commit()
        seats = dict(db.session.execute(sa.select(SessionBooking.user_id,
                                                  SessionBooking.status)).all())
    assert seats == {ids["silent1"]: BookingStatus.CANCELLED,
                     ids["submitted"]: BookingStatus.OFFERED}
