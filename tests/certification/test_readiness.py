"""Certification readiness is read from the statement store, voided statements excluded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from lms.auth.models import User
from lms.booking import services as booking
from lms.booking.models import AttendanceStatus, CourseSession
from lms.certification import readiness, rules
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.security import Role
from lms.xapi.models import Statement
from tests.factories import REQUIREMENTS, make_session, trainees

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def rec(n: int, verb: str, activity: str, committee: bool = False) -> rules.Record:
    return rules.Record(f"id-{n}", verb, activity, T0 + timedelta(minutes=n), n, committee)


def every_requirement() -> list[rules.Record]:
    return [rec(i, r.verb, r.activity, r.committee) for i, r in enumerate(REQUIREMENTS)]


def test_the_certification_test_counts_only_as_the_committee_decided_it():
    records = every_requirement()[:-1]
    own_claim = rec(50, rules.PASSED, "quizzes/certification")  # the trainee's own statement
    assert not rules.ready(rules.evidence(records + [own_claim], REQUIREMENTS))
    failed = rec(51, rules.FAILED, "quizzes/certification", committee=True)
    assert not rules.ready(rules.evidence(records + [failed], REQUIREMENTS))
    passed = rec(52, rules.PASSED, "quizzes/certification", committee=True)
    assert rules.ready(rules.evidence(records + [failed, passed], REQUIREMENTS))
    assert not rules.ready_for_decision(rules.evidence(records + [passed], REQUIREMENTS),
                                        withdrawn=True)


def test_all_requirements_shown_is_ready():
    assert rules.ready(rules.evidence(every_requirement(), REQUIREMENTS))


def test_each_missing_requirement_blocks_readiness():
    records = every_requirement()
    for i in range(len(records)):
        items = rules.evidence(records[:i] + records[i + 1:], REQUIREMENTS)
        assert not rules.ready(items)
        assert [e.requirement.key for e in items if not e.met] == [REQUIREMENTS[i].key]


def test_a_report_returned_after_acceptance_is_not_accepted_and_reacceptance_counts():
    records = every_requirement()
    returned = rec(100, rules.RETURNED, "practice/final")
    items = rules.evidence(records + [returned], REQUIREMENTS)
    final = next(e for e in items if e.requirement.key == "report:final")
    assert not final.met and final.record == returned
    again = rec(101, rules.ACCEPTED, "practice/final")
    assert rules.ready(rules.evidence(records + [returned, again], REQUIREMENTS))


def test_a_failed_attempt_does_not_count_and_a_later_pass_does():
    failed = rec(0, "http://adlnet.gov/expapi/verbs/failed", "quizzes/group-a")
    items = rules.evidence([failed], REQUIREMENTS)
    assert not items[0].met
    assert rules.evidence([failed, rec(1, rules.PASSED, "quizzes/group-a")], REQUIREMENTS)[0].met


def test_course2_completion_statement_follows_attendance_and_is_voided_on_correction(
        app, make_cohort, make_user):
    cohort_id = make_cohort(date.today() - timedelta(days=150))
    [uid] = trainees(app, make_user, cohort_id, 1)
    staff = make_user("staff@example.jp", Role.INSTRUCTOR)
    session_id = make_session(app, cohort_id, days=2)
    with app.app_context():
        trainee, marker = db.session.get(User, uid), db.session.get(User, staff)
        session = db.session.get(CourseSession, session_id)
        booking.book(trainee, session)
        enrolment = db.session.execute(sa.select(Enrolment)).scalar_one()

        def course2_met():
            items = readiness.readiness(trainee, enrolment.registration)
            return next(e for e in items if e.requirement.key == "stage:course2").met

        booking.mark(marker, session.days[0], uid, AttendanceStatus.PRESENT,
                     today=session.days[0].day)
        assert not course2_met()  # one day of two
        booking.mark(marker, session.days[1], uid, AttendanceStatus.PRESENT,
                     today=session.days[1].day)
        assert course2_met()
        booking.mark(marker, session.days[1], uid, AttendanceStatus.PRESENT,
                     today=session.days[1].day)  # again: no copy
        completed = sa.select(sa.func.count()).select_from(Statement).where(
            Statement.verb_id == rules.COMPLETED)
        assert db.session.scalar(completed) == 1
        booking.mark(marker, session.days[1], uid, AttendanceStatus.ABSENT,
                     today=session.days[1].day)  # a correction
        assert not course2_met()
        voided = db.session.execute(sa.select(Statement).where(
            Statement.verb_id == rules.COMPLETED)).scalar_one()
        assert voided.voided
        booking.mark(marker, session.days[1], uid, AttendanceStatus.PRESENT,
                     today=session.days[1].day)
        assert course2_met()
        db.session.commit()


def test_readiness_page_for_committee_and_not_for_trainees(app, client, auth, make_user,
                                                           make_cohort):
    cohort_id = make_cohort(date.today() - timedelta(days=150))
    trainees(app, make_user, cohort_id, 2)
    make_user("committee@example.jp", Role.COMMITTEE)
    auth.login("committee@example.jp")
    page = client.get(f"/certification/readiness?cohort={cohort_id}")
    assert page.status_code == 200
    assert "審査に進める受講者" in page.text and "受講者 2 名中 0 名" in page.text
    assert page.text.count('href="/certification/readiness/') == 2
    auth.logout()
    make_user("t@example.jp", Role.TRAINEE)
    auth.login("t@example.jp")
    assert client.get("/certification/readiness").status_code == 403
