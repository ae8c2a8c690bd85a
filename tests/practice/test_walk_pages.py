"""What trainees, instructors and the office see: my page, refusals, tickets, windows, links."""

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from lms.auth.models import User
from lms.booking import services as booking
from lms.booking.models import CourseSession, SessionBooking, Venue
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.practice import deadlines, services
from lms.practice.models import ReportStatus
from lms.security import Role
from lms.timeutil import TOKYO, today_tokyo, utcnow
from tests.conftest import text_of
from tests.factories import make_session, trainees


def _enrolment(app) -> Enrolment:
    return db.session.execute(sa.select(Enrolment)).unique().scalar_one()


def test_my_page_leads_with_returns_and_lists_the_trainees_own_due_dates(
        app, client, make_user, practice_trainee):
    admin = make_user("office@example.jp", Role.ADMIN)
    with app.app_context():
        enrolment = _enrolment(app)
        goal = services.report_for(enrolment, "goal")
        goal.status = ReportStatus.ACCEPTED
        progress = services.report_for(enrolment, "progress")
        revised = enrolment.cohort.progress_report_due + timedelta(days=4)
        progress.status, progress.revision_due_on = ReportStatus.RETURNED, revised
        extended = enrolment.cohort.final_report_due + timedelta(days=20)
        services.grant_extension(db.session.get(User, admin), enrolment, "final", extended,
                                 "入院のため")
        db.session.commit()
        cohort_final = enrolment.cohort.final_report_due
    page = text_of(client.get("/trainee/").text)
    todo = page.split("対応が必要なこと")[1].split("研修の進み方")[0]
    assert "「課題への取組状況報告」が差し戻されました" in todo
    assert revised.strftime("%Y/%m/%d") in todo
    upcoming = page.split("今後の期限")[1]
    assert extended.strftime("%Y/%m/%d") in upcoming
    assert cohort_final.strftime("%Y/%m/%d") not in upcoming
    assert "課題設定シート" not in upcoming  # accepted: nothing left to do


def test_a_withdrawn_trainee_reads_the_reason_once(app, client, practice_trainee):
    with app.app_context():
        deadlines.withdraw(_enrolment(app), "受講要件を満たさないため",
                           actor=db.session.get(User, practice_trainee))
        db.session.commit()
    page = text_of(client.get("/trainee/").text.split('<main')[1])
    assert page.count("辞退として取り扱われた") == 1 and page.count("事務局にお問い合わせ") == 1
    assert "受講要件を満たさないため" in page


def test_refusals_say_why_and_what_opens_the_page(app, client, auth, make_user, make_cohort):
    make_user("new@example.jp", Role.TRAINEE)
    auth.login("new@example.jp")
    page = client.get("/trainee/")
    assert page.status_code == 200
    nav = page.text.split('class="main-nav"')[1].split("</nav>")[0]
    assert nav.count("（未開放）") == 2  # 実践 and 養成課程②
    refused = client.get("/staff/practice/")
    assert refused.status_code == 403
    assert "このページの対象は「講師、事務局」で、お使いのアカウントは「受講生」です。" in \
        text_of(refused.text)


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"


def test_new_sessions_close_booking_and_cancellation_at_midnight_tokyo(
        app, client, auth, make_user, make_cohort):
    cohort_id = make_cohort(date.today() - timedelta(days=150))
    make_user("office@example.jp", Role.ADMIN)
    with app.app_context():
        venue = Venue(name="東京会場", address="東京都千代田区", capacity=60)
        db.session.add(venue)
        db.session.commit()
        venue_id = venue.id
    auth.login("office@example.jp")
    first = date.today() + timedelta(days=30)
    client.post("/staff/sessions/", data={
        "what": "session", "session-cohort_id": cohort_id, "session-venue_id": venue_id,
        "session-title": "第1回", "session-capacity": 10, "session-first_day": first.isoformat(),
        "session-days": 2, "session-booking_opens_at": f"{date.today().isoformat()}T00:00"})
    with app.app_context():
        session = db.session.execute(sa.select(CourseSession)).unique().scalar_one()
        assert session.booking_closes_at == datetime.combine(first, time(0), TOKYO)
        assert session.cancel_cutoff_at == datetime.combine(first - timedelta(days=2), time(0),
                                                            TOKYO)
    # the whole day before counts: 23:59:30 on it is still inside the window
    last_minute = datetime.combine(first - timedelta(days=1), time(23, 59, 30), TOKYO)
    from lms.booking.rules import booking_window_open

    assert booking_window_open(session.booking_opens_at, session.booking_closes_at,
                               last_minute)


def complete_practice(app, uid: int) -> int:
    """Mark the trainee's goal and both reports accepted; return the cohort id."""
    with app.app_context():
        enrolment = db.session.execute(sa.select(Enrolment).filter_by(
            user_id=uid)).unique().scalar_one()
        for kind in services.REPORT_KINDS:
            services.report_for(enrolment, kind).status = ReportStatus.ACCEPTED
        db.session.commit()
        return enrolment.cohort_id


def test_cancelling_asks_first_and_the_ticket_opens_the_booking_for_staff(
        app, client, auth, make_user, practice_trainee):
    sid = make_session(app, complete_practice(app, practice_trainee), capacity=1)
    make_user("inst@example.jp", Role.INSTRUCTOR)
    with app.app_context():
        booking.book(db.session.get(User, practice_trainee), db.session.get(CourseSession, sid))
        db.session.commit()
        booking_id = db.session.execute(sa.select(SessionBooking.id)).scalar_one()
    assert f'href="/course2/bookings/{booking_id}/cancel"' in client.get("/course2/").text
    confirm = client.get(f"/course2/bookings/{booking_id}/cancel")
    assert confirm.status_code == 200
    assert "キャンセル待ちの次の方に回ります" in text_of(confirm.text)
    ticket = client.get(f"/course2/bookings/{booking_id}/ticket")
    assert ticket.status_code == 200 and "<svg" in ticket.text
    assert f"/staff/sessions/bookings/{booking_id}" in ticket.text
    with app.app_context():
        assert db.session.get(SessionBooking, booking_id).status == "booked"  # nothing yet
    client.post(f"/course2/bookings/{booking_id}/cancel")
    with app.app_context():
        assert db.session.get(SessionBooking, booking_id).status == "cancelled"
    auth.logout()
    auth.login("inst@example.jp")
    staff = text_of(client.get(f"/staff/sessions/bookings/{booking_id}").text)
    assert "この予約は有効ではありません。" in staff


def test_the_certification_test_outside_its_window_says_when(app, client, make_user,
                                                             practice_trainee):
    from lms.booking.models import AttendanceStatus

    sid = make_session(app, complete_practice(app, practice_trainee), capacity=2, days=1,
                       first=today_tokyo())
    instructor = make_user(None, Role.INSTRUCTOR)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        opens = utcnow() + timedelta(days=3)
        session.test_opens_at, session.test_closes_at = opens, opens + timedelta(hours=4)
        booking.book(db.session.get(User, practice_trainee), session)
        booking.mark(db.session.get(User, instructor), session.days[0], practice_trainee,
                     AttendanceStatus.PRESENT)
        db.session.commit()
    start = client.get("/quizzes/certification")
    assert start.status_code == 200 and "受験を開始する</button>" not in start.text
    refused = client.post("/quizzes/certification/start")
    assert refused.status_code == 403
    text = text_of(refused.text)
    assert "修了認定テストは現在受験できません。" in text
    assert opens.astimezone(TOKYO).strftime("%Y/%m/%d %H:%M") in text
    assert "養成課程②の出席要件を満たしていること" in text


def test_the_committee_follows_evidence_to_each_statement(app, client, auth, make_user,
                                                         make_cohort):
    from lms import xapi
    from lms.xapi import vocab

    cohort_id = make_cohort(date.today() - timedelta(days=150))
    (uid,) = trainees(app, make_user, cohort_id, 1)
    make_user("committee@example.jp", Role.COMMITTEE)
    with app.app_context():
        enrolment = _enrolment(app)
        user = db.session.get(User, uid)
        xapi.record(user, vocab.PASSED, xapi.activity(
            xapi.activity_iri("quizzes", "group-a"), vocab.TYPE_ASSESSMENT, "A"),
            result={"success": True, "completion": True}, registration=enrolment.registration)
        db.session.commit()
        enrolment_id = enrolment.id
    auth.login("committee@example.jp")
    page = client.get(f"/certification/readiness/{enrolment_id}").text
    links = [part.split('"')[0] for part in page.split('href="/certification/statements/')[1:]]
    assert len(links) == 1
    statement = client.get("/certification/statements/" + links[0].replace("&amp;", "&"))
    assert statement.status_code == 200 and "group-a" in statement.text
    assert f"/certification/readiness/{enrolment_id}" in statement.text


def test_cohort_dates_default_the_progress_report_opening_to_the_stage(app):
    from lms.cohorts.services import create_cohort
    from lms.demo import cohort_dates

    dates = cohort_dates(date(2027, 1, 1))
    del dates["progress_report_opens"]
    with app.app_context():
        cohort = create_cohort(None, "第9期", 10, dates)
        assert cohort.progress_report_opens == cohort.practice_start
        db.session.rollback()
    assert Cohort  # the model the form writes


def test_reflections_complete_practice_only_where_the_deployment_requires_them(
        app, practice_trainee):
    complete_practice(app, practice_trainee)
    with app.app_context():
        enrolment = _enrolment(app)
        assert services.practice_complete(enrolment)
        app.config["REFLECTIONS_REQUIRED"] = 1
        assert not services.practice_complete(enrolment)
        from lms.practice.models import Reflection

        db.session.add(Reflection(enrolment_id=enrolment.id, user_id=practice_trainee,
                                  entry_date=today_tokyo(), values={}))
        db.session.flush()
        assert services.practice_complete(enrolment)
        db.session.rollback()


def test_reports_cannot_be_written_before_they_open(app, practice_trainee):
    with app.app_context():
        enrolment = _enrolment(app)
        cohort = enrolment.cohort
        cohort.progress_report_opens = today_tokyo() + timedelta(days=3)
        services.report_for(enrolment, "goal").status = ReportStatus.ACCEPTED
        for kind, code in (("progress", "progress_not_open"), ("final", "progress_first")):
            try:
                services.save_draft(enrolment, kind, {})
            except services.PracticeError as exc:
                assert exc.code == code
            else:
                raise AssertionError(f"{kind} opened too early")
        app.config["PROGRESS_REPORT_ON_COHORT_DATE"] = False
        services.save_draft(enrolment, "progress", {})
        cohort.practice_start = today_tokyo() + timedelta(days=1)
        try:
            services.save_draft(enrolment, "goal", {})
        except services.PracticeError as exc:
            assert exc.code in ("stage_not_started", "already_submitted")
        db.session.rollback()


def test_reinstating_asks_for_the_new_due_dates_in_the_same_form(app, client, auth, make_user,
                                                                 practice_trainee):
    make_user("office@example.jp", Role.ADMIN)
    with app.app_context():
        enrolment = _enrolment(app)
        enrolment.cohort.progress_report_due = today_tokyo() - timedelta(days=1)
        db.session.commit()
        assert deadlines.run(today_tokyo()).withdrawn  # the nightly job withdrew them
        db.session.commit()
        enrolment_id = enrolment.id
    auth.logout()
    auth.login("office@example.jp")
    form = client.get(f"/staff/practice/enrolments/{enrolment_id}").text
    assert 'name="due_progress"' in form and "required" in form.split('name="due_progress"')[1][:40]
    refused = client.post(f"/staff/practice/enrolments/{enrolment_id}", data={
        "action": "reinstate", "reason": "入院していたため"}, follow_redirects=True)
    assert "期限を過ぎたすべての報告に新しい提出期限" in refused.text
    new_due = today_tokyo() + timedelta(days=10)
    client.post(f"/staff/practice/enrolments/{enrolment_id}", data={
        "action": "reinstate", "reason": "入院していたため", "due_progress": new_due.isoformat()})
    with app.app_context():
        enrolment = db.session.get(Enrolment, enrolment_id)
        assert enrolment.status == "active"
        assert services.due_on(enrolment, "progress") == new_due
        assert deadlines.run(today_tokyo()).withdrawn == []  # tonight leaves them be
