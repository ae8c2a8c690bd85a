"""Course ② in Chromium: book, waitlist, cancel, promotion; the roster; the test opens for the
attendee only."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.auth.models import User
from lms.booking.models import SessionDay
from lms.cohorts.models import Enrolment
from lms.demo import demo_values, sit_quiz
from lms.extensions import db
from lms.practice.forms_cache import report_forms
from lms.practice.models import ReportStatus
from lms.practice.services import report_for, review, submit
from lms.security import Role
from lms.timeutil import today_tokyo
from tests.booking.test_booking import make_session
from tests.browser.conftest import screenshot
from tests.browser.test_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def two_ready(live_app, two_practised):
    """Two trainees of one cohort with practice complete; a one-seat session of one day, today
    (attendance is marked on the day)."""
    first, second, teacher, cohort_id = two_practised
    session_id = make_session(live_app, cohort_id, capacity=1, days=1, first=today_tokyo())
    return first, second, teacher, session_id


@pytest.fixture
def two_practised(live_app, enrolled_trainee, make_user):
    """Two trainees of one cohort with practice complete, and an instructor."""
    second = make_user("second@example.jp", Role.TRAINEE)
    instructor = make_user("teacher@example.jp", Role.INSTRUCTOR)
    with live_app.app_context():
        first = db.session.execute(sa.select(User).filter_by(email=enrolled_trainee)).scalar_one()
        enrolment = db.session.execute(sa.select(Enrolment).filter_by(
            user_id=first.id)).unique().scalar_one()
        from lms.cohorts.services import enrol

        enrol(None, enrolment.cohort, db.session.get(User, second))
        # the practice stage (and so its forms) opened yesterday for this cohort
        cohort = enrolment.cohort
        cohort.practice_start = cohort.progress_report_opens = today_tokyo() - timedelta(days=1)
        forms = report_forms()
        for user in (first, db.session.get(User, second)):
            sit_quiz(user, "comprehensive", passing=True)
            mine = db.session.execute(sa.select(Enrolment).filter_by(
                user_id=user.id)).unique().scalar_one()
            for kind in ("goal", "progress", "final"):
                submit(mine, kind, demo_values(forms[kind]))
                review(db.session.get(User, instructor), report_for(mine, kind),
                       ReportStatus.ACCEPTED, "")
        db.session.commit()
        cohort_id = enrolment.cohort_id
    return enrolled_trainee, "second@example.jp", "teacher@example.jp", cohort_id


def test_book_waitlist_cancel_promote_attend(browser, live_server, live_app, two_ready):
    first, second, teacher, session_id = two_ready
    pages = {}
    for email in (first, second, teacher):
        pages[email] = browser.new_context(locale="ja-JP").new_page()
        log_in(pages[email], live_server, email, PASSWORD)

    p1, p2 = pages[first], pages[second]
    p1.goto(live_server + "/course2/")
    p1.get_by_role("button", name="この回を予約する").click()
    p1.get_by_text("予約済み").first.wait_for()
    p2.goto(live_server + "/course2/")
    p2.get_by_role("button", name="キャンセル待ちに登録する").click()
    p2.get_by_text("キャンセル待ち").first.wait_for()
    screenshot(p2, "course2-waitlist")

    p1.get_by_role("link", name="予約を取り消す…").click()
    p1.get_by_role("heading", level=1, name="予約を取り消しますか").wait_for()
    assert "キャンセル待ちの次の方に回ります" in p1.inner_text("main")
    p1.get_by_role("button", name="はい、取り消します").click()
    p1.get_by_text("予約をキャンセルしました。").wait_for()
    p2.reload()
    p2.get_by_text("繰り上げのご案内中").wait_for()
    p2.get_by_role("button", name="受講を確定する").click()
    p2.get_by_text("受講が確定しました。").wait_for()
    assert "カレンダーに追加" in p2.inner_text("main")

    with live_app.app_context():
        day_ids = db.session.execute(sa.select(SessionDay.id).filter_by(
            session_id=session_id).order_by(SessionDay.day)).scalars().all()
    roster = pages[teacher]
    for day_id in day_ids:
        roster.goto(live_server + f"/staff/sessions/days/{day_id}")
        roster.locator("button[value=present]").first.click()
        roster.locator("td .badge.ok", has_text="出席").wait_for()
    screenshot(roster, "course2-roster")

    response = p2.goto(live_server + "/quizzes/certification")
    assert response.status == 200 and "受験を開始する" in p2.inner_text("main")
    response = p1.goto(live_server + "/quizzes/certification")
    assert response.status == 403


def test_admin_adds_a_seat_and_the_waitlisted_trainee_is_offered_it(browser, live_server,
                                                                    live_app, two_practised,
                                                                    make_user):
    first, second, _teacher, cohort_id = two_practised
    make_session(live_app, cohort_id, capacity=1, days=2)
    for email in (first, second):
        context = browser.new_context(locale="ja-JP")
        page = context.new_page()
        log_in(page, live_server, email, PASSWORD)
        page.goto(live_server + "/course2/")
        page.locator("form button.primary").first.click()  # book, or join the waitlist
        page.wait_for_load_state()
        context.close()
    make_user("boss@example.jp", Role.ADMIN)
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    log_in(page, live_server, "boss@example.jp", PASSWORD)
    page.goto(live_server + "/staff/sessions/")
    page.get_by_role("link", name="変更").first.click()
    page.get_by_role("heading", level=1, name="集合研修の変更: 第1回 集合研修").wait_for()
    page.get_by_label("定員").fill("0")
    page.get_by_role("button", name="保存").click()
    page.locator(".has-error").first.wait_for()  # the answer to the post (count() does not wait)
    assert page.locator(".has-error").count() == 1
    page.get_by_label("定員").fill("2")
    screenshot(page, "admin-session-edit")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("キャンセル待ちの受講者にメールで知らせました").wait_for()
    assert "2 / 2" in page.inner_text("table")  # one booked, one offered the new seat
    context.close()
