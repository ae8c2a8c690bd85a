"""Booking course ② sessions: seats, waitlist, promotion, offers, attendance, certification."""

import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.auth.models import User
from lms.booking import services
from lms.booking.models import (
    AttendanceStatus,
    BookingStatus,
    CourseSession,
    SessionBooking,
)
from lms.extensions import db
from lms.security import Role
from lms.timeutil import today_tokyo, utcnow
from lms.xapi.models import Statement
from tests.factories import at_once, booking_of, make_session, trainees

NOW = utcnow()


def act(app, fn, uid, *args):
    with app.app_context():
        user = db.session.get(User, uid)
        result = fn(user, *[db.session.merge(a) if isinstance(a, db.Model) else a for a in args])
        db.session.commit()
        return getattr(result, "id", result)


def test_full_session_waitlists_and_a_cancellation_promotes_in_order(app, cohort, make_user):
    sid = make_session(app, cohort, capacity=2)
    a, b, c, d = trainees(app, make_user, cohort, 4)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        for uid in (a, b, c, d):
            services.book(db.session.get(User, uid), session)
        db.session.commit()
        statuses = [booking_of(app, u).status for u in (a, b, c, d)]
    assert statuses == ["booked", "booked", "waitlisted", "waitlisted"]
    with app.app_context():
        services.cancel(db.session.get(User, a), db.session.get(SessionBooking,
                                                                booking_of(app, a).id))
        db.session.commit()
    assert booking_of(app, c).status == "offered"
    assert booking_of(app, d).status == "waitlisted"
    with app.app_context():
        from lms.mail.models import OutgoingMail

        assert db.session.execute(sa.select(OutgoingMail.subject)).scalars().first()
        services.confirm_offer(db.session.get(User, c),
                               db.session.get(SessionBooking, booking_of(app, c).id))
        db.session.commit()
    assert booking_of(app, c).status == "booked"


def test_an_unanswered_offer_passes_to_the_next(app, cohort, make_user):
    sid = make_session(app, cohort, capacity=1)
    a, b, c = trainees(app, make_user, cohort, 3)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        for uid in (a, b, c):
            services.book(db.session.get(User, uid), session)
        services.cancel(db.session.get(User, a), db.session.execute(
            sa.select(SessionBooking).filter_by(user_id=a)).unique().scalar_one())
        db.session.commit()
        later = utcnow() + timedelta(hours=49)
        services.expire_offers(later)
        db.session.commit()
    assert booking_of(app, b).status == "expired"
    assert booking_of(app, c).status == "offered"


def test_the_offers_job_locks_only_sessions_with_a_lapsed_offer(app, cohort, make_user,
                                                               monkeypatch):
    lapsing, quiet = make_session(app, cohort, capacity=1), make_session(app, cohort, capacity=1)
    a, b, c = trainees(app, make_user, cohort, 3)
    locked = []
    with app.app_context():
        session = db.session.get(CourseSession, lapsing)
        for uid in (a, b):
            services.book(db.session.get(User, uid), session)
        services.book(db.session.get(User, c), db.session.get(CourseSession, quiet))
        services.cancel(db.session.get(User, a), db.session.execute(
            sa.select(SessionBooking).filter_by(user_id=a)).unique().scalar_one())
        db.session.commit()
        real = services.lock_session
        monkeypatch.setattr(services, "lock_session", lambda s: (locked.append(s.id), real(s)))
        services.expire_offers()  # nothing has lapsed yet
        assert locked == []
        services.expire_offers(utcnow() + timedelta(hours=49))
        db.session.commit()
    assert locked == [lapsing]
    assert booking_of(app, b).status == "expired"


def test_one_booking_per_trainee_and_windows(app, cohort, make_user):
    sid = make_session(app, cohort, capacity=5)
    (a,) = trainees(app, make_user, cohort, 1)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        user = db.session.get(User, a)
        services.book(user, session)
        db.session.commit()
        with pytest.raises(services.BookingError, match="already_booked"):
            services.book(user, session)
        db.session.rollback()
        with pytest.raises(services.BookingError, match="window_closed"):
            services.book(user, session, now=session.booking_closes_at)
        booking = db.session.execute(sa.select(SessionBooking)).unique().scalar_one()
        with pytest.raises(services.BookingError, match="cutoff_passed"):
            services.cancel(user, booking, now=session.cancel_cutoff_at)


def test_hundred_concurrent_bookings_for_ten_seats(app, make_cohort, make_user):
    cohort = make_cohort(date.today() - timedelta(days=150), name="大きな期", capacity=120)
    sid = make_session(app, cohort, capacity=10)
    ids = trainees(app, make_user, cohort, 100)
    errors = []
    barrier = threading.Barrier(20)

    def attempt(uid):
        try:
            with app.app_context():
                user = db.session.get(User, uid)
                session = db.session.get(CourseSession, sid)
                try:
                    barrier.wait(5)
                except threading.BrokenBarrierError:
                    pass
                services.book(user, session)
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - collected and reported
            errors.append(repr(exc))

    at_once(attempt, [(uid,) for uid in ids])
    assert errors == []
    with app.app_context():
        counts = dict(db.session.execute(sa.select(SessionBooking.status, sa.func.count())
                                         .group_by(SessionBooking.status)).all())
    assert counts == {BookingStatus.BOOKED: 10, BookingStatus.WAITLISTED: 90}


def test_attendance_opens_the_certification_test(app, cohort, make_user):
    sid = make_session(app, cohort, capacity=3, days=2)
    a, b = trainees(app, make_user, cohort, 2)
    instructor = make_user(None, Role.INSTRUCTOR)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        services.book(db.session.get(User, a), session)
        db.session.commit()
        marker = db.session.get(User, instructor)
        with pytest.raises(services.BookingError, match="not_booked"):
            services.mark(marker, session.days[0], b, AttendanceStatus.PRESENT,
                     today=session.days[0].day)
        services.mark(marker, session.days[0], a, AttendanceStatus.PRESENT,
                     today=session.days[0].day)
        assert not services.attendance_complete(db.session.get(User, a), cohort)
        services.mark(marker, session.days[1], a, AttendanceStatus.LATE,
                     today=session.days[1].day)
        db.session.commit()
        assert services.attendance_complete(db.session.get(User, a), cohort)
        assert services.certification_window_open(db.session.get(User, a), cohort)
        assert not services.certification_window_open(db.session.get(User, b), cohort)
        attended = db.session.execute(sa.select(Statement.payload).where(
            Statement.verb_id == "http://adlnet.gov/expapi/verbs/attended")).scalars().all()
        marker_id = marker.public_id
    assert len(attended) == 2
    # the instructor who took the roll is the statement's instructor; course 2 is its parent
    assert {s["context"]["instructor"]["account"]["name"] for s in attended} == {marker_id}
    assert attended[0]["context"]["contextActivities"]["parent"][0]["id"] == \
        "http://lms.test/xapi/activities/stages/course2"


def test_check_in_code_is_valid_only_that_day(app, cohort, make_user):
    today = today_tokyo()
    sid = make_session(app, cohort, capacity=3, days=2, first=today)
    (a,) = trainees(app, make_user, cohort, 1)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        user = db.session.get(User, a)
        services.book(user, session, now=session.booking_opens_at + timedelta(minutes=1))
        db.session.commit()
        tomorrow_code = session.days[1].checkin_code
        with pytest.raises(services.BookingError, match="bad_code"):
            services.check_in(user, tomorrow_code)
        with pytest.raises(services.BookingError, match="bad_code"):
            services.check_in(user, "no-such-code")
        mark = services.check_in(user, session.days[0].checkin_code)
        db.session.commit()
        assert mark.method == "checkin" and mark.status in ("present", "late")


def test_offers_job_from_the_command_line(app, runner, cohort, make_user):
    sid = make_session(app, cohort, capacity=1)
    a, b = trainees(app, make_user, cohort, 2)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        services.book(db.session.get(User, a), session)
        services.book(db.session.get(User, b), session)
        services.cancel(db.session.get(User, a), db.session.execute(
            sa.select(SessionBooking).filter_by(user_id=a)).unique().scalar_one())
        db.session.execute(sa.update(SessionBooking).where(SessionBooking.user_id == b).values(
            offer_expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert "offered 0" in runner.invoke(args=["lms", "offers"]).output
    assert booking_of(app, b).status == "expired"


def test_attendance_only_on_or_after_the_day_and_corrections_by_administrators(
        app, cohort, make_user):
    from lms.audit.models import AuditEvent

    first = date.today() + timedelta(days=120)  # a session day months away
    sid = make_session(app, cohort, capacity=3, days=1, first=first)
    (a,) = trainees(app, make_user, cohort, 1)
    instructor = make_user(None, Role.INSTRUCTOR)
    admin = make_user(None, Role.ADMIN)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        services.book(db.session.get(User, a), session)
        day = session.days[0]
        marker = db.session.get(User, instructor)
        with pytest.raises(services.BookingError, match="future_day"):
            services.mark(marker, day, a, AttendanceStatus.PRESENT)
        assert not services.attendance_complete(db.session.get(User, a), cohort)
        services.mark(marker, day, a, AttendanceStatus.ABSENT, today=first)  # on the day
        with pytest.raises(services.BookingError, match="correction_admin_only"):
            services.mark(marker, day, a, AttendanceStatus.PRESENT,
                          today=first + timedelta(days=1))
        services.mark(db.session.get(User, admin), day, a, AttendanceStatus.PRESENT,
                      today=first + timedelta(days=1))
        db.session.commit()
        event = db.session.execute(sa.select(AuditEvent).filter_by(
            action="attendance.correct")).scalar_one()
        assert event.actor_id == admin
        assert event.details == {"user": a, "day": first.isoformat(), "from": "absent",
                                 "to": "present"}


def test_roster_refuses_a_future_day_with_the_reason(app, client, auth, cohort, make_user):
    sid = make_session(app, cohort, capacity=3, days=1, first=date.today() + timedelta(days=90))
    (a,) = trainees(app, make_user, cohort, 1)
    make_user("inst@example.jp", Role.INSTRUCTOR)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        services.book(db.session.get(User, a), session)
        db.session.commit()
        day_id = session.days[0].id
    auth.login("inst@example.jp")
    roster = client.get(f"/staff/sessions/days/{day_id}").text
    assert 'id="roster-closed"' in roster and "disabled" in roster
    page = client.post(f"/staff/sessions/days/{day_id}",
                       data={"user_id": a, "status": "present"}, follow_redirects=True)
    assert "出欠は研修日当日以降にのみ記録できます。" in page.text


@pytest.mark.parametrize("late_counts, complete", [(True, True), (False, False)])
def test_late_arrival_counts_as_attended_as_configured(app, cohort, make_user, late_counts,
                                                       complete):
    app.config["LATE_COUNTS_AS_ATTENDED"] = late_counts
    today = today_tokyo()
    sid = make_session(app, cohort, capacity=3, days=1, first=today)
    (a,) = trainees(app, make_user, cohort, 1)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        services.book(db.session.get(User, a), session)
        services.mark(db.session.get(User, a), session.days[0], a, AttendanceStatus.LATE,
                      method="checkin")
        assert services.attendance_complete(db.session.get(User, a), cohort) is complete
        db.session.commit()


def test_waitlist_place_counts_only_those_still_waiting(app, cohort, make_user):
    sid = make_session(app, cohort, capacity=1)
    a, b, c = trainees(app, make_user, cohort, 3)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        for uid in (a, b, c):
            services.book(db.session.get(User, uid), session)
        db.session.commit()
        rows = {r.user_id: r for r in db.session.execute(
            sa.select(SessionBooking)).unique().scalars()}
        assert [services.waitlist_place(rows[u]) for u in (a, b, c)] == [None, 1, 2]
        services.cancel(db.session.get(User, b), rows[b])
        db.session.commit()
        assert services.waitlist_place(rows[c]) == 1
