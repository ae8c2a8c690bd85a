"""Booking course ② sessions with a waitlist, and attendance. Functions flush; callers commit.

Every change to a session's seats first bumps ``CourseSession.lock_version`` with an UPDATE:
on PostgreSQL that row lock serialises concurrent bookings of the session, on SQLite it takes
the database's single write lock before the seats are counted. So the last seat is never
sold twice.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import update

from lms import audit, xapi
from lms.auth.models import User
from lms.booking import programme, rules
from lms.booking.models import (
    Attendance,
    AttendanceStatus,
    BookingStatus,
    CourseSession,
    SessionBooking,
    SessionDay,
)
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.cohorts.services import current_enrolment, on_withdrawal
from lms.errors import UserError
from lms.extensions import db
from lms.links import external_url
from lms.notify import notify
from lms.security import Role
from lms.timeutil import today_tokyo, utcnow
from lms.xapi import context as where
from lms.xapi import vocab

LIVE = (BookingStatus.BOOKED, BookingStatus.WAITLISTED, BookingStatus.OFFERED)


class BookingError(UserError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def lock_session(session: CourseSession) -> None:
    """Take the session-wide row lock (bump lock_version) that every seat change holds."""
    db.session.execute(update(CourseSession).where(CourseSession.id == session.id)
                       .values(lock_version=CourseSession.lock_version + 1)
                       .execution_options(synchronize_session=False))


def _seats(session: CourseSession) -> list[SessionBooking]:
    return list(db.session.execute(db.select(SessionBooking).where(
        SessionBooking.session_id == session.id, SessionBooking.status.in_(LIVE))
        .order_by(SessionBooking.position)).unique().scalars())


def _rule_seats(rows) -> list[rules.Seat]:
    return [rules.Seat(r.user_id, r.status.value, r.position, r.offer_expires_at) for r in rows]


def live_booking(user, cohort_id: int) -> SessionBooking | None:
    """The trainee's current booking, waitlist place or offer in any session of the cohort."""
    return db.session.execute(db.select(SessionBooking).join(CourseSession).where(
        SessionBooking.user_id == user.id, CourseSession.cohort_id == cohort_id,
        SessionBooking.status.in_(LIVE))).unique().scalar_one_or_none()


def booked_trainees(session_id: int) -> list[User]:
    """The trainees holding a booked seat on the session, by name."""
    return list(db.session.execute(db.select(User).join(
        SessionBooking, SessionBooking.user_id == User.id).where(
        SessionBooking.session_id == session_id,
        SessionBooking.status == BookingStatus.BOOKED).order_by(User.name)).scalars())


def marks_of(day: SessionDay) -> dict[int, AttendanceStatus]:
    """The attendance marked so far on *day*, by trainee id."""
    return {user_id: status for user_id, status in db.session.execute(
        db.select(Attendance.user_id, Attendance.status).filter_by(day_id=day.id))}


def waitlist_place(booking: SessionBooking) -> int | None:
    """The trainee's place on the session's waitlist (1 = next to be offered a seat)."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(db.select(db.func.count()).select_from(SessionBooking).where(
        SessionBooking.session_id == booking.session_id,
        SessionBooking.status == BookingStatus.WAITLISTED,
        SessionBooking.position < booking.position))
    return (ahead or 0) + 1


def _activity(session: CourseSession) -> dict:
    return xapi.activity(xapi.activity_iri("sessions", str(session.id)), vocab.TYPE_SESSION,
                         session.title, f"Course 2 session {session.id}")


def _record(user, verb, session: CourseSession, instructor: User | None = None,
            extensions: dict | None = None, **kwargs) -> None:
    """Record *user*'s statement about *session*, in the cohort and course ② it belongs to;
    *instructor* is the member of staff who acted (e.g. took the roll)."""
    enrolment = current_enrolment(user)
    xapi.record(user, verb, _activity(session), context=where.of(
        enrolment, parent=[_course2_activity()], instructor=instructor, extensions=extensions),
        **kwargs)


def _course2_activity() -> dict:
    return xapi.activity(course2_iri(), vocab.TYPE_STAGE, *programme.STAGE[1:])


def book(user: User, session: CourseSession, now: datetime | None = None) -> SessionBooking:
    """Book a seat, or join the waitlist when the session is full; one session per trainee."""
    now = now or utcnow()
    if not rules.booking_window_open(session.booking_opens_at, session.booking_closes_at, now):
        raise BookingError("window_closed")
    lock_session(session)
    if live_booking(user, session.cohort_id) is not None:
        raise BookingError("already_booked")
    seats = _seats(session)
    taken = rules.seats_taken([s for s in _rule_seats(seats)
                               if not rules.offer_lapsed(s, now)])
    position = max((s.position for s in seats), default=0) + 1
    status = BookingStatus.BOOKED if taken < session.capacity else BookingStatus.WAITLISTED
    row = SessionBooking(session_id=session.id, user_id=user.id, status=status,
                         position=position, created_at=now, updated_at=now)
    db.session.add(row)
    db.session.flush()
    _record(user, vocab.REGISTERED if status == BookingStatus.BOOKED else vocab.WAITLISTED,
            session, timestamp=now)
    return row


def cancel(user: User, booking: SessionBooking, now: datetime | None = None) -> None:
    """Cancel before the cut-off; a freed seat goes to the first on the waitlist."""
    now = now or utcnow()
    if booking.user_id != user.id or booking.status not in LIVE:
        raise BookingError("not_live")
    if booking.status == BookingStatus.BOOKED and \
            not rules.can_cancel(booking.session.cancel_cutoff_at, now):
        raise BookingError("cutoff_passed")
    lock_session(booking.session)
    booking.status, booking.updated_at = BookingStatus.CANCELLED, now
    db.session.flush()
    _record(user, vocab.CANCELLED, booking.session, timestamp=now)
    promote(booking.session, now)


@on_withdrawal
def release_seat(enrolment: Enrolment, actor: User | None, now: datetime) -> None:
    """End a withdrawn trainee's booking, waitlist place or offer, whatever the cut-off; a
    freed seat is offered to the waitlist."""
    trainee = db.session.get(User, enrolment.user_id)
    booking = live_booking(trainee, enrolment.cohort_id)
    if booking is None:
        return
    lock_session(booking.session)
    booking.status, booking.updated_at = BookingStatus.CANCELLED, now
    db.session.flush()
    _record(trainee, vocab.CANCELLED, booking.session, timestamp=now)
    promote(booking.session, now)


def promote(session: CourseSession, now: datetime | None = None) -> list[SessionBooking]:
    """Expire lapsed offers and offer free seats to the waitlist in order (the caller or the
    job holds the session lock)."""
    now = now or utcnow()
    seats = _seats(session)
    by_user = {s.user_id: s for s in seats}
    for user_id in rules.expired_offers(_rule_seats(seats), now):
        by_user[user_id].status = BookingStatus.EXPIRED
        notify(db.session.get_one(User, user_id), "offer_expired",
               link=external_url("booking.index"), title=session.title)
    offered = []
    hours = current_app.config["OFFER_HOURS"]
    for user_id in rules.next_for_offer(_rule_seats(seats), session.capacity, now):
        row = by_user[user_id]
        row.status, row.offer_expires_at, row.updated_at = (
            BookingStatus.OFFERED, now + timedelta(hours=hours), now)
        offered.append(row)
    db.session.flush()
    for row in offered:
        trainee = db.session.get_one(User, row.user_id)
        _record(trainee, vocab.PROMOTED, session, timestamp=now)
        notify(trainee, "seat_offered", link=external_url("booking.index"),
               title=session.title, until=row.offer_expires_at)
    return offered


def confirm_offer(user: User, booking: SessionBooking, now: datetime | None = None) -> None:
    """Take up an offered seat before the offer expires."""
    now = now or utcnow()
    lock_session(booking.session)
    db.session.refresh(booking)
    if booking.user_id != user.id or booking.status != BookingStatus.OFFERED:
        raise BookingError("no_offer")
    if booking.offer_expires_at is not None and booking.offer_expires_at <= now:
        raise BookingError("offer_expired")
    booking.status, booking.offer_expires_at, booking.updated_at = BookingStatus.BOOKED, None, now
    db.session.flush()
    _record(user, vocab.REGISTERED, booking.session, timestamp=now)


def expire_offers(now: datetime | None = None) -> int:
    """The offers job: pass lapsed offers on to the next on each waitlist (cron-safe)."""
    now = now or utcnow()
    lapsed = db.select(SessionBooking.session_id).where(
        SessionBooking.status == BookingStatus.OFFERED, SessionBooking.offer_expires_at <= now)
    count = 0
    # only the sessions with a lapsed offer are locked (seats freed otherwise are offered on
    # by the change that freed them)
    for session in db.session.execute(db.select(CourseSession).where(
            CourseSession.id.in_(lapsed)).order_by(CourseSession.id)).unique().scalars():
        lock_session(session)
        count += len(promote(session, now))
    return count


def mark(marker: User, day: SessionDay, user_id: int, status: AttendanceStatus,
         method: str = "roster", today: date | None = None) -> Attendance:
    """Record one trainee's attendance on one day (changing it if already marked).

    Never for a withdrawn trainee, never before the day (a mark unlocks the certification
    test); on the day the roster or the trainee's check-in marks it; afterwards only an
    administrator corrects it, audited.
    """
    withdrawn = db.session.execute(db.select(Enrolment.id).filter_by(
        user_id=user_id, cohort_id=day.session.cohort_id,
        status=EnrolmentStatus.WITHDRAWN)).first()
    if withdrawn is not None:
        raise BookingError("withdrawn")
    today = today or today_tokyo()
    if day.day > today:
        raise BookingError("future_day")
    booked = db.session.execute(db.select(SessionBooking.id).filter_by(
        session_id=day.session_id, user_id=user_id, status=BookingStatus.BOOKED)).first()
    if booked is None:
        raise BookingError("not_booked")
    found = db.session.execute(db.select(Attendance).filter_by(
        day_id=day.id, user_id=user_id)).scalar_one_or_none()
    correction = day.day < today
    if correction and not marker.has_role(Role.ADMIN):
        raise BookingError("correction_admin_only")
    if correction:
        audit.record(marker, "attendance.correct", day.session, {
            "user": user_id, "day": day.day.isoformat(),
            "from": found.status.value if found else None, "to": status.value})
    new = found is None
    before = found.status if found is not None else None
    row = found if found is not None else Attendance(day_id=day.id, user_id=user_id,
                                                     status=status)
    if new:
        db.session.add(row)
    row.status, row.method, row.marked_by_id, row.marked_at = status, method, marker.id, utcnow()
    db.session.flush()
    if marker.id != user_id:  # staff decisions are audited; a trainee's own check-in is not
        audit.record(marker, "booking.attendance", row, {
            "day": day.day.isoformat(), "status": status.value,
            "before": before.value if before else None, "method": method})
    trainee = db.session.get_one(User, user_id)
    if new and status != AttendanceStatus.ABSENT:
        _record(trainee, vocab.ATTENDED, day.session,
                instructor=marker if marker.id != user_id else None,
                extensions={vocab.EXT_DAY.iri: day.day.isoformat()})
    _sync_course2_completion(marker, trainee, day.session)
    return row


def _sync_course2_completion(marker: User, trainee: User, session: CourseSession) -> None:
    """Keep one valid "completed course ②" statement exactly while attendance is complete.

    Certification readiness reads it from the statement store; a correction that makes
    attendance incomplete voids it.
    """
    enrolment = db.session.execute(db.select(Enrolment).filter_by(
        user_id=trainee.id, cohort_id=session.cohort_id)).scalar_one_or_none()
    registration = enrolment.registration if enrolment else None
    existing = xapi.latest(trainee, [vocab.COMPLETED], course2_iri(), registration)
    complete = attendance_complete(trainee, session.cohort_id)
    if complete and existing is None:
        xapi.record(trainee, vocab.COMPLETED, _course2_activity(),
                    result={"completion": True}, context=where.of(enrolment))
    elif not complete and existing is not None:
        xapi.void(marker, existing)


def course2_iri() -> str:
    """The activity of course ② as a stage, which its completion statement is about."""
    return xapi.activity_iri("stages", programme.STAGE[0])


def check_in(user: User, code: str, now: datetime | None = None) -> Attendance:
    """The trainee's own check-in with the code shown on the day: valid that day only."""
    now = now or utcnow()
    day = db.session.execute(db.select(SessionDay).filter_by(checkin_code=code)
                             ).scalar_one_or_none()
    if day is None or day.day != today_tokyo(now):
        raise BookingError("bad_code")
    status = AttendanceStatus(rules.arrival_status(
        (now - day.starts_at).total_seconds() / 60,
        current_app.config["LATENESS_LIMIT_MINUTES"]))
    return mark(user, day, user.id, status, method="checkin")


def attendance_complete(user: User, cohort_id: int) -> bool:
    """Whether the trainee's course ② attendance meets the configured rule."""
    return user.id in programme.attendance_completed({user.id: cohort_id})


def certification_window(user: User, cohort_id: int) -> tuple[datetime, datetime] | None:
    """The certification test window of the trainee's booked session, if it has one."""
    booking = live_booking(user, cohort_id)
    if booking is None or booking.status != BookingStatus.BOOKED:
        return None
    session = booking.session
    if not (session.test_opens_at and session.test_closes_at):
        return None
    return session.test_opens_at, session.test_closes_at


def certification_window_open(user: User, cohort_id: int, now: datetime | None = None) -> bool:
    """Whether the certification test may be sat now: during the booked session's window."""
    now = now or utcnow()
    window = certification_window(user, cohort_id)
    return window is not None and window[0] <= now < window[1]
