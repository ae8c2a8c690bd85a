"""Demo of the committee's work (§6(2)): a past cohort with one certified trainee and one
awaiting the committee, a second member for the quorum, approved certification-test items.

``seed(today, users)`` is called once from :func:`lms.demo.seed`; it flushes only.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from lms.assessment import itemreview
from lms.assessment.models import ReviewStatus
from lms.assessment.programme import course1_tests
from lms.auth.models import User
from lms.auth.services import NewAccount, create_account
from lms.booking.models import AttendanceStatus, CourseSession, SessionDay, Venue
from lms.booking.services import book, mark
from lms.certification import decisions, declarations, programme, testresults
from lms.certification.declarations import DeclarationInput
from lms.certification.models import Outcome
from lms.cohorts.models import Enrolment
from lms.cohorts.services import create_cohort, enrol
from lms.extensions import db
from lms.practice.forms_cache import report_forms
from lms.practice.models import ReportStatus
from lms.practice.services import review, submit
from lms.security import Role
from lms.timeutil import TOKYO

ACCOUNTS = [
    ("committee2@demo.example", "審査委員 中村 真理", {Role.COMMITTEE}),
    ("trainee7@demo.example", "受講生 小林 七海", {Role.TRAINEE}),
    ("trainee8@demo.example", "受講生 加藤 八雲", {Role.TRAINEE}),
]
#: the certified trainee's 認定日 is this many days before the demo day
CERTIFIED_DAYS_AGO = 30
NO_GROUNDS = DeclarationInput(False, False, None, False, None, False, None)


def seed(today: date, users: dict[str, User]) -> None:
    """trainee7: certified (CERTIFIED_DAYS_AGO days ago, by two members); trainee8: took the
    certification test, whose result awaits the committee."""
    from lms.demo import DEMO_PASSWORD, cohort_dates, demo_values, sit_quiz
    from lms.demo import _watch as watch  # (lms.demo calls this module: import late)

    for email, name, roles in ACCOUNTS:
        users[email] = create_account(None, NewAccount(email, name, frozenset(roles)),
                                      password=DEMO_PASSWORD)
    admin, instructor = users["admin@demo.example"], users["instructor@demo.example"]
    members = [users["committee@demo.example"], users["committee2@demo.example"]]
    for item in itemreview.reviewed_items():  # written by the instructor, approved here
        itemreview.review(members[0], item, ReviewStatus.APPROVED, "")
    decided_on = today - timedelta(days=CERTIFIED_DAYS_AGO)
    start = decided_on - timedelta(days=185)
    cohort = create_cohort(admin, "2025年度 第2期", 60, cohort_dates(start))
    session = _past_session(cohort)
    forms = report_forms()
    trainees = [users["trainee7@demo.example"], users["trainee8@demo.example"]]
    for trainee in trainees:
        enrolment = enrol(admin, cohort, trainee)
        db.session.flush()
        watch(trainee, {"A", "B", "C", "D", "E"})
        for slug in course1_tests():
            sit_quiz(trainee, slug, passing=True)
        for kind, due in (("goal", cohort.practice_start), ("progress", cohort.progress_report_due),
                          ("final", cohort.final_report_due)):
            report = submit(enrolment, kind, demo_values(forms[kind]),
                            now=datetime.combine(due - timedelta(days=3), time(10), TOKYO))
            review(instructor, report, ReportStatus.ACCEPTED, "要件を満たしています。")
        book(trainee, session, now=session.booking_opens_at + timedelta(hours=1))
        for day in session.days:
            mark(instructor, day, trainee.id, AttendanceStatus.PRESENT, today=day.day)
        sit_quiz(trainee, programme.CERTIFIES.partition(":")[2], passing=True)
        declarations.submit(trainee, enrolment, NO_GROUNDS)
    seven = db.session.scalar(db.select(Enrolment).filter_by(
        user_id=trainees[0].id, cohort_id=cohort.id))
    if not testresults.certification_attempts([seven]):
        return  # no quizzes loaded (`flask content sync` not run): nothing to decide
    testresults.decide_test(members[0], seven, True)
    for member in members:
        decisions.vote(member, seven, Outcome.CERTIFIED, "", day=decided_on)


def _past_session(cohort) -> CourseSession:
    first = cohort.course2_start
    session = CourseSession(
        cohort_id=cohort.id, title="第1回 集合研修（大阪）", capacity=30,
        venue=Venue(name="大阪出入国在留管理局 研修室", address="大阪府大阪市住之江区南港北1-29-53",
                    capacity=60),
        instructors="講師 山田 花子、審査委員 佐藤 健",
        booking_opens_at=datetime.combine(first - timedelta(days=30), time(9), TOKYO),
        booking_closes_at=datetime.combine(first - timedelta(days=1), time(23, 59), TOKYO),
        cancel_cutoff_at=datetime.combine(first - timedelta(days=3), time(23, 59), TOKYO),
        test_opens_at=datetime.combine(first + timedelta(days=1), time(13), TOKYO),
        test_closes_at=datetime.combine(first + timedelta(days=1), time(17), TOKYO))
    for n in range(2):
        day = first + timedelta(days=n)
        session.days.append(SessionDay(day=day, starts_at=datetime.combine(day, time(9, 30), TOKYO),
                                       ends_at=datetime.combine(day, time(17), TOKYO)))
    db.session.add(session)
    db.session.flush()
    return session
