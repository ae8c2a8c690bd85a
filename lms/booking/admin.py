"""Administrators change or remove course ② sessions and venues (services: flush only).

A session's days stay as created (bookings and attendance hang on them); everything else can
change. Capacity may not drop below the seats already taken, and added seats go to the
waitlist at once. Trainees holding or awaiting a seat are told by mail what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from lms import audit
from lms.auth.models import User
from lms.booking.models import Attendance, BookingStatus, CourseSession, SessionBooking, Venue
from lms.booking.services import LIVE, BookingError, lock_session, promote
from lms.extensions import db
from lms.links import external_url
from lms.notify import notify


@dataclass(frozen=True)
class SessionChanges:
    title: str
    venue_id: int
    capacity: int
    instructors: str
    booking_opens_at: datetime
    booking_closes_at: datetime
    cancel_cutoff_at: datetime
    test_opens_at: datetime
    test_closes_at: datetime


def window_problems(c: SessionChanges, first_day_start: datetime) -> list[str]:
    """The order rules of a session's windows, as error codes (pure)."""
    problems = []
    if c.booking_opens_at >= c.booking_closes_at:
        problems.append("booking_window")
    if c.booking_closes_at > first_day_start:
        problems.append("booking_after_start")
    if c.cancel_cutoff_at > c.booking_closes_at:
        problems.append("cutoff_after_close")
    if c.test_opens_at >= c.test_closes_at:
        problems.append("test_window")
    return problems


def taken_seats(session: CourseSession) -> int:
    return db.session.scalar(select(func.count()).select_from(SessionBooking).where(
        SessionBooking.session_id == session.id,
        SessionBooking.status.in_((BookingStatus.BOOKED, BookingStatus.OFFERED)))) or 0


def update_session(actor: User, session: CourseSession, c: SessionChanges) -> list[str]:
    """Apply *c*; return the fields that changed. Raises BookingError with a code."""
    if not c.title.strip() or c.capacity < 1:
        raise BookingError("invalid")
    problems = window_problems(c, session.days[0].starts_at)
    if problems:
        raise BookingError(problems[0])
    lock_session(session)
    if c.capacity < taken_seats(session):
        raise BookingError("capacity_below_taken")
    before = {f: getattr(session, f) for f in SessionChanges.__dataclass_fields__}
    for name, value in vars(c).items():
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    changed = [f for f, old in before.items() if getattr(session, f) != old]
    if not changed:
        return []
    db.session.flush()
    audit.record(actor, "session.update", session, {
        "changed": {f: [str(before[f]), str(getattr(session, f))] for f in changed}})
    if "capacity" in changed and c.capacity > before["capacity"]:
        promote(session)  # the new seats go to the waitlist in order
    _tell_trainees(session)
    return changed


def _tell_trainees(session: CourseSession) -> None:
    rows = db.session.execute(select(User).join(
        SessionBooking, SessionBooking.user_id == User.id).where(
        SessionBooking.session_id == session.id, SessionBooking.status.in_(LIVE))).scalars()
    for trainee in rows:
        notify(trainee, "session_changed", link=external_url("booking.index"),
               title=session.title)


def delete_session(actor: User, session: CourseSession) -> None:
    """Remove a session nobody has booked or attended (history is never deleted)."""
    lock_session(session)
    booked = db.session.scalar(select(func.count()).select_from(SessionBooking).where(
        SessionBooking.session_id == session.id))
    attended = db.session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.day_id.in_([d.id for d in session.days])))
    if booked or attended:
        raise BookingError("has_bookings")
    audit.record(actor, "session.delete", session, {"title": session.title})
    db.session.delete(session)
    db.session.flush()


def update_venue(actor: User, venue: Venue, name: str, address: str, access_notes: str,
                 capacity: int) -> None:
    if not name.strip() or not address.strip() or capacity < 1:
        raise BookingError("invalid")
    before = (venue.name, venue.address, venue.access_notes, venue.capacity)
    venue.name, venue.address = name.strip(), address.strip()
    venue.access_notes, venue.capacity = access_notes.strip(), capacity
    db.session.flush()
    audit.record(actor, "venue.update", venue, {"before": list(before)})

