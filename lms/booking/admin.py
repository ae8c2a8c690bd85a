"""Administrators create, change or remove course ② sessions and venues (services: flush only).

Creating and changing a session are held to the same rules (``rules.window_problems``) and
audited here. A session's days stay as created (bookings and attendance hang on them);
everything else can change. Capacity may not drop below the seats already taken, and added
seats go to the waitlist at once. Trainees holding or awaiting a seat are told by mail what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from lms import audit
from lms.auth.models import User
from lms.booking import rules
from lms.booking.models import (
    Attendance,
    BookingStatus,
    CourseSession,
    SessionBooking,
    SessionDay,
    Venue,
)
from lms.booking.services import LIVE, BookingError, lock_session, promote
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.links import external_url
from lms.notify import notify
from lms.timeutil import TOKYO


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


@dataclass(frozen=True)
class NewSession:
    """A session to create; a window left None takes the policy's default
    (``rules.default_windows``)."""

    cohort_id: int
    venue_id: int
    title: str
    capacity: int
    instructors: str
    first_day: date
    days: int
    booking_opens_at: datetime
    booking_closes_at: datetime | None = None
    cancel_cutoff_at: datetime | None = None
    test_opens_at: datetime | None = None
    test_closes_at: datetime | None = None


def _check(title: str, capacity: int, windows: rules.Windows, first_day_start: datetime) -> None:
    """Raise BookingError with the first problem of a session's settings, new or changed."""
    if not title.strip() or capacity < 1:
        raise BookingError("invalid")
    problems = rules.window_problems(windows, first_day_start)
    if problems:
        raise BookingError(problems[0])


def _windows(new: NewSession) -> rules.Windows:
    """The new session's windows, the policy's default for each one left None."""
    default = rules.default_windows(new.booking_opens_at, new.first_day, new.days, TOKYO)
    return rules.Windows(new.booking_opens_at,
                         new.booking_closes_at or default.booking_closes_at,
                         new.cancel_cutoff_at or default.cancel_cutoff_at,
                         new.test_opens_at or default.test_opens_at,
                         new.test_closes_at or default.test_closes_at)


def create_session(actor: User, new: NewSession) -> CourseSession:
    """Create a session with its days (9:30–17:00 each); audited. Raises BookingError."""
    if not 1 <= new.days <= rules.MAX_SESSION_DAYS or \
            db.session.get(Cohort, new.cohort_id) is None or \
            db.session.get(Venue, new.venue_id) is None:
        raise BookingError("invalid")
    days = rules.session_days(new.first_day, new.days, TOKYO)
    windows = _windows(new)
    _check(new.title, new.capacity, windows, days[0].starts_at)
    session = CourseSession(cohort_id=new.cohort_id, venue_id=new.venue_id,
                            title=new.title.strip(), capacity=new.capacity,
                            instructors=new.instructors.strip(), **vars(windows))
    session.days = [SessionDay(day=d.day, starts_at=d.starts_at, ends_at=d.ends_at)
                    for d in days]
    db.session.add(session)
    db.session.flush()
    audit.record(actor, "session.create", session, {"title": session.title})
    return session


def sessions() -> list[CourseSession]:
    """Every session, the newest first."""
    return list(db.session.execute(select(CourseSession).order_by(CourseSession.id.desc())
                                   ).unique().scalars())


def seat_counts(of: list[CourseSession]) -> dict[int, dict[BookingStatus, int]]:
    """For each session, how many bookings are in each status (one query)."""
    counts = {s.id: {status: 0 for status in BookingStatus} for s in of}
    for sid, status, n in db.session.execute(select(
            SessionBooking.session_id, SessionBooking.status, func.count())
            .where(SessionBooking.session_id.in_(counts))
            .group_by(SessionBooking.session_id, SessionBooking.status)).all():
        counts[sid][status] = n
    return counts


def venues() -> list[Venue]:
    return list(db.session.execute(select(Venue).order_by(Venue.name)).scalars())


def cohorts() -> list[Cohort]:
    """The cohorts a session can be for, in the order they were created."""
    return list(db.session.execute(select(Cohort).order_by(Cohort.id)).unique().scalars())


def taken_seats(session: CourseSession) -> int:
    return db.session.scalar(select(func.count()).select_from(SessionBooking).where(
        SessionBooking.session_id == session.id,
        SessionBooking.status.in_((BookingStatus.BOOKED, BookingStatus.OFFERED)))) or 0


def update_session(actor: User, session: CourseSession, c: SessionChanges) -> list[str]:
    """Apply *c*; return the fields that changed. Raises BookingError with a code."""
    _check(c.title, c.capacity, rules.Windows(c.booking_opens_at, c.booking_closes_at,
                                              c.cancel_cutoff_at, c.test_opens_at,
                                              c.test_closes_at), session.days[0].starts_at)
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


def create_venue(actor: User, name: str, address: str, access_notes: str,
                 capacity: int) -> Venue:
    """Add a venue; audited. Raises BookingError("invalid") without a name, address or seat."""
    if not name.strip() or not address.strip() or capacity < 1:
        raise BookingError("invalid")
    venue = Venue(name=name.strip(), address=address.strip(),
                  access_notes=access_notes.strip(), capacity=capacity)
    db.session.add(venue)
    db.session.flush()
    audit.record(actor, "venue.create", venue, {"name": venue.name})
    return venue


def update_venue(actor: User, venue: Venue, name: str, address: str, access_notes: str,
                 capacity: int) -> None:
    if not name.strip() or not address.strip() or capacity < 1:
        raise BookingError("invalid")
    before = (venue.name, venue.address, venue.access_notes, venue.capacity)
    venue.name, venue.address = name.strip(), address.strip()
    venue.access_notes, venue.capacity = access_notes.strip(), capacity
    db.session.flush()
    audit.record(actor, "venue.update", venue, {"before": list(before)})

