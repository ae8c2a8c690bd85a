"""Withdrawal (辞退) ends the course ② booking: the seat goes to the waitlist, attendance stops."""

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.booking import services
from lms.booking.models import AttendanceStatus, BookingStatus, CourseSession
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.cohorts.services import withdraw_enrolment
from lms.extensions import db
from lms.security import Role
from lms.xapi import vocab
from lms.xapi.models import Statement
from tests.factories import booking_of, make_session, trainees


def _enrolment(uid) -> Enrolment:
    return db.session.execute(sa.select(Enrolment).filter_by(user_id=uid)).scalar_one()


def test_withdrawal_frees_the_seat_for_the_waitlist_and_stops_attendance(
        app, cohort, make_user):  # noqa: F811
    sid = make_session(app, cohort, capacity=1, days=2)
    a, b = trainees(app, make_user, cohort, 2)
    marker = make_user(None, Role.INSTRUCTOR)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        services.book(db.session.get(User, a), session)
        services.book(db.session.get(User, b), session)
        services.mark(db.session.get(User, marker), session.days[0], a,
                      AttendanceStatus.PRESENT, today=session.days[0].day)
        db.session.commit()
        assert withdraw_enrolment(_enrolment(a), "本人の申出による辞退")
        assert not withdraw_enrolment(_enrolment(a), "again")  # once only
        db.session.commit()
    assert booking_of(app, a).status == BookingStatus.CANCELLED
    assert booking_of(app, b).status == BookingStatus.OFFERED  # the existing offer mechanism
    with app.app_context():
        assert _enrolment(a).status == EnrolmentStatus.WITHDRAWN
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "cohort.withdraw")) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement).where(
            Statement.verb_id == vocab.WITHDREW.id)) == 1
        session = db.session.get(CourseSession, sid)
        with pytest.raises(services.BookingError, match="withdrawn"):
            services.mark(db.session.get(User, marker), session.days[1], a,
                          AttendanceStatus.PRESENT, today=session.days[1].day)


def test_a_withdrawn_trainee_with_a_booking_left_over_cannot_be_marked(
        app, client, auth, cohort, make_user):  # noqa: F811
    """Even a booking from before this rule (withdrawn directly in the table) is refused."""
    sid = make_session(app, cohort, capacity=2, days=1)
    [a] = trainees(app, make_user, cohort, 1)
    make_user("staff@example.jp", Role.INSTRUCTOR)
    with app.app_context():
        services.book(db.session.get(User, a), db.session.get(CourseSession, sid))
        _enrolment(a).status = EnrolmentStatus.WITHDRAWN
        db.session.commit()
        day_id = db.session.get(CourseSession, sid).days[0].id
    auth.login("staff@example.jp")
    page = client.post(f"/staff/sessions/days/{day_id}",
                       data={"user_id": a, "status": "present"}, follow_redirects=True)
    assert "辞退" in page.text
    with app.app_context():
        assert db.session.scalar(sa.text("select count(*) from attendance")) == 0
