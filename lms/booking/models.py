"""Course ② (養成課程②) in person: venues, sessions and their days, bookings, attendance."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import Model, enum_type
from lms.timeutil import UTCDateTime, utcnow


class Venue(Model):
    """A place where course ② is held (会場)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(300))
    access_notes: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int]


class CourseSession(Model):
    """One run of course ② for a cohort: its days, venue, seats and booking rules."""

    __table_args__ = (CheckConstraint("capacity > 0", name="capacity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"),
                                           index=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id"))
    title: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int]
    instructors: Mapped[str] = mapped_column(String(300), default="")
    booking_opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    booking_closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: cancelling (and so freeing the seat for the waitlist) is possible before this
    cancel_cutoff_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the certification test (修了認定テスト) may be taken in this window
    test_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    test_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: bumped by every booking change: the UPDATE that bumps it is the session-wide lock
    lock_version: Mapped[int] = mapped_column(default=0)

    venue: Mapped[Venue] = relationship(lazy="joined")
    days: Mapped[list[SessionDay]] = relationship(
        back_populates="session", order_by="SessionDay.starts_at", cascade="all, delete-orphan")


class SessionDay(Model):
    """One day of a session, with its times and the check-in code shown that day."""

    __table_args__ = (UniqueConstraint("session_id", "day", name="one_per_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("course_session.id", ondelete="CASCADE"),
                                            index=True)
    day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checkin_code: Mapped[str] = mapped_column(String(32),
                                              default=lambda: secrets.token_urlsafe(12))

    session: Mapped[CourseSession] = relationship(back_populates="days")


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    WAITLISTED = "waitlisted"
    #: a freed seat offered to the first on the waitlist, held until the offer expires
    OFFERED = "offered"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class SessionBooking(Model):
    """A trainee's place in a session: booked, on the waitlist, or offered a freed seat."""

    __table_args__ = (
        # one live booking per trainee and session; cancelled rows stay as history
        Index("uq_session_booking_live", "session_id", "user_id", unique=True,
              postgresql_where=text("status IN ('booked', 'waitlisted', 'offered')"),
              sqlite_where=text("status IN ('booked', 'waitlisted', 'offered')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("course_session.id", ondelete="CASCADE"),
                                            index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[BookingStatus] = mapped_column(enum_type(BookingStatus))
    #: waitlist order (lower first); the booking's arrival order for booked seats
    position: Mapped[int]
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[CourseSession] = relationship(lazy="joined")


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    LEFT_EARLY = "left_early"


class Attendance(Model):
    """Attendance of one trainee on one session day."""

    __table_args__ = (UniqueConstraint("day_id", "user_id", name="day_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(ForeignKey("session_day.id", ondelete="CASCADE"),
                                        index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_type(AttendanceStatus))
    #: "roster" (marked by an instructor) or "checkin" (the trainee's own code scan)
    method: Mapped[str] = mapped_column(String(20), default="roster")
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
