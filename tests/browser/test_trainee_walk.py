"""A trainee's journey in Chromium, in Japanese: where a real person used to get stuck.

Locked menu entries say why; every refusal says why and what opens it; the cool-down time is
shown; lecture lengths read in minutes and seconds; an untouched ordering question is
unanswered until its order is confirmed; reports open in order; the waitlist place, the
cancellation step and the admission ticket (受講票); the certification test's window.
"""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.assessment.models import AttemptItem, QuizAttempt
from lms.auth.models import User
from lms.booking.models import CourseSession
from lms.cohorts.models import Enrolment
from lms.demo import _watch, sit_quiz
from lms.extensions import db
from lms.timeutil import today_tokyo, utcnow
from tests.booking.test_booking import make_session
from tests.browser.conftest import screenshot
from tests.browser.test_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _user(email: str) -> User:
    return db.session.execute(sa.select(User).filter_by(email=email)).scalar_one()


def test_locks_refusals_lengths_cooldown_and_ordering(page, live_server, live_app,
                                                      enrolled_trainee):
    log_in(page, live_server, enrolled_trainee, PASSWORD)
    page.get_by_role("heading", level=1, name="マイページ").wait_for()

    practice = page.locator("nav a[href=\"/practice/\"]")
    assert "（未開放）" in practice.inner_text()
    assert "「テスト総合確認テスト」に合格すると利用できます。" in practice.inner_text()
    screenshot(page, "walk-locked-menu")
    practice.click()
    assert "まだ利用できません。" in page.inner_text("main")
    assert "「テスト総合確認テスト」に合格すると利用できます。" in page.inner_text("main")

    response = page.goto(live_server + "/admin/users")
    assert response.status == 403
    assert "このページの対象は「事務局」で、お使いのアカウントは「受講生」です。" in \
        page.inner_text("main")

    page.goto(live_server + "/course/")
    lengths = page.locator(".muted", has_text="秒").all_inner_texts()
    assert lengths and all(re.fullmatch(r"(\d+分\d\d秒|\d+秒)", t.strip()) for t in lengths)

    with live_app.app_context():
        user = _user(enrolled_trainee)
        _watch(user, {"A", "B"})
        sit_quiz(user, "group-a", passing=False)  # a fail starts the 1-minute cool-down
        db.session.commit()
    page.goto(live_server + "/quizzes/")
    row = page.locator("tr", has_text="テスト小テストA")
    assert "から受験可能" in row.inner_text() and "受験可能" != row.inner_text().strip()
    screenshot(page, "walk-cooldown")

    with live_app.app_context():
        user = _user(enrolled_trainee)
        # the cool-down is over: the failed attempt finished two minutes ago
        db.session.execute(sa.update(QuizAttempt).values(
            finished_at=utcnow() - timedelta(minutes=2)))
        for slug in ("group-a", "group-b"):
            sit_quiz(user, slug, passing=True)
        db.session.commit()
    page.goto(live_server + "/quizzes/comprehensive")
    page.get_by_role("button", name="受験を開始する").click()
    counter = page.locator("#answered-count")
    counter.wait_for()
    assert counter.inner_text() == "0 / 2"  # the ordering question nobody touched
    page.get_by_label("解答").fill("在留カード")
    page.locator("fieldset[data-type=short_text]").get_by_text("保存しました").wait_for()
    assert counter.inner_text() == "1 / 2"
    ordering = page.locator("fieldset[data-type=ordering]")
    ordering.get_by_role("button", name="この順序で回答する").click()
    ordering.get_by_text("保存しました").wait_for()
    assert counter.inner_text() == "2 / 2"
    screenshot(page, "walk-ordering")
    with live_app.app_context():
        saved, shown = db.session.execute(sa.select(
            AttemptItem.response, AttemptItem.presentation).filter_by(question_id="fc-q2")).one()
    assert saved == shown  # the order shown, confirmed, is the saved answer


@pytest.fixture
def in_practice(live_app, enrolled_trainee):
    """The trainee passed the comprehensive test; practice started yesterday, and the cohort
    opens the progress report in ten days."""
    with live_app.app_context():
        user = _user(enrolled_trainee)
        sit_quiz(user, "comprehensive", passing=True)
        cohort = db.session.execute(sa.select(Enrolment).filter_by(
            user_id=user.id)).unique().scalar_one().cohort
        cohort.practice_start = today_tokyo() - timedelta(days=1)
        cohort.progress_report_opens = today_tokyo() + timedelta(days=10)
        db.session.commit()
        return cohort.id


def test_reports_open_in_order_and_say_when(page, live_server, live_app, enrolled_trainee,
                                            in_practice):
    log_in(page, live_server, enrolled_trainee, PASSWORD)
    page.locator("nav a[href=\"/practice/\"]").click()
    rows = page.locator("table.data tbody tr")
    opens = (today_tokyo() + timedelta(days=10)).strftime("%Y/%m/%d")
    assert f"{opens}から提出可能" in rows.nth(1).inner_text()
    assert "取組状況報告の提出後に提出可能" in rows.nth(2).inner_text()
    screenshot(page, "walk-practice-opening")
    page.goto(live_server + "/practice/reports/progress")
    assert page.locator("#not-open").inner_text() == f"{opens}から提出可能"


def test_waitlist_place_ticket_cancellation_and_test_window(browser, live_server, live_app,
                                                             enrolled_trainee, make_user,
                                                             in_practice):
    from lms.demo import demo_values
    from lms.practice.forms_cache import report_forms
    from lms.practice.models import ReportStatus
    from lms.practice.services import report_for, review, submit
    from lms.security import Role

    others = [make_user(f"t{n}@example.jp", Role.TRAINEE) for n in (1, 2)]
    teacher = make_user("teacher@example.jp", Role.INSTRUCTOR)
    with live_app.app_context():
        from lms.cohorts.models import Cohort
        from lms.cohorts.services import enrol

        cohort = db.session.get(Cohort, in_practice)
        cohort.progress_report_opens = cohort.practice_start
        users = [_user(enrolled_trainee)] + [db.session.get(User, uid) for uid in others]
        forms = report_forms()
        for user in users:
            enrolment = db.session.execute(sa.select(Enrolment).filter_by(
                user_id=user.id)).unique().scalar_one_or_none() or enrol(None, cohort, user)
            if user.email != enrolled_trainee:
                sit_quiz(user, "comprehensive", passing=True)
            for kind in ("goal", "progress", "final"):
                submit(enrolment, kind, demo_values(forms[kind]))
                review(db.session.get(User, teacher), report_for(enrolment, kind),
                       ReportStatus.ACCEPTED, "")
        db.session.commit()
    make_session(live_app, in_practice, capacity=1, days=1, first=today_tokyo())

    pages = {}
    for email in ("t1@example.jp", "t2@example.jp", enrolled_trainee):
        pages[email] = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo").new_page()
        log_in(pages[email], live_server, email, PASSWORD)
        pages[email].goto(live_server + "/course2/")
        pages[email].locator("form button.primary").first.click()  # book, or the waitlist
        pages[email].wait_for_load_state()
    mine = pages[enrolled_trainee]
    assert "キャンセル待ち 2 番目です。" in mine.inner_text("#waitlist-place")
    screenshot(mine, "walk-waitlist-place")

    booked = pages["t1@example.jp"]
    booked.get_by_role("link", name="受講票").click()
    booked.get_by_role("heading", level=1, name="受講票").wait_for()
    assert booked.locator(".ticket .qr svg").count() == 1
    assert "受付でこの受講票" in booked.inner_text("main")
    screenshot(booked, "walk-ticket")
    booked.go_back()
    booked.get_by_role("link", name="予約を取り消す…").click()
    booked.get_by_role("link", name="いいえ、予約を残す").click()
    assert "予約済み" in booked.inner_text("main")  # one click gives nothing away

    response = booked.goto(live_server + "/quizzes/certification")
    # before attendance the lock says what opens the test
    assert response.status == 403 and "まだ利用できません。" in booked.inner_text("main")

    with live_app.app_context():
        from lms.booking import services as booking
        from lms.booking.models import AttendanceStatus

        session = db.session.execute(sa.select(CourseSession)).unique().scalar_one()
        booking.mark(db.session.get(User, teacher), session.days[0], others[0],
                     AttendanceStatus.PRESENT)
        opens = utcnow() + timedelta(days=30)
        session.test_opens_at, session.test_closes_at = opens, opens + timedelta(hours=4)
        db.session.commit()
    booked.goto(live_server + "/quizzes/certification")
    window = booked.inner_text("#test-window")
    assert f"修了認定テストの受験期間は {(opens + timedelta(hours=9)).strftime('%Y/%m/%d %H:%M')}" \
        in window
    assert "養成課程②の出席要件を満たしていること" in window
    assert booked.get_by_role("button", name="受験を開始する").count() == 0
    screenshot(booked, "walk-test-window")
