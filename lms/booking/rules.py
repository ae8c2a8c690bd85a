"""Pure rules for course ② (養成課程②) sessions: seats, waitlist offers, windows, attendance.

No Flask here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

#: attendance statuses that count as having attended the day; leaving early does not
ATTENDED = frozenset({"present", "late"})

#: the attendance rules a deployment may configure (ATTENDANCE_RULE)
ATTENDANCE_RULES = ("all_days", "all_but_one", "any_day")

#: a new session's timetable, in local (Tokyo) wall-clock times: every day runs 9:30–17:00,
#: the certification test is sat 13:00–17:00 on the last day
DAY_STARTS, DAY_ENDS = time(9, 30), time(17, 0)
TEST_OPENS, TEST_CLOSES = time(13, 0), time(17, 0)
#: a booked seat may be cancelled until 00:00 this many days before the first day
CANCEL_DAYS_BEFORE = 2
#: a session lasts 1 to this many days
MAX_SESSION_DAYS = 10

#: the windows of a session, in the order they are shown and checked
WINDOW_FIELDS = ("booking_opens_at", "booking_closes_at", "cancel_cutoff_at", "test_opens_at",
                 "test_closes_at")


@dataclass(frozen=True)
class Windows:
    """When a session can be booked, cancelled, and its certification test sat."""

    booking_opens_at: datetime
    booking_closes_at: datetime
    cancel_cutoff_at: datetime
    test_opens_at: datetime
    test_closes_at: datetime


@dataclass(frozen=True)
class Day:
    """One day of a session and its hours."""

    day: date
    starts_at: datetime
    ends_at: datetime


def session_days(first_day: date, days: int, tz: tzinfo) -> list[Day]:
    """The *days* consecutive days from *first_day*, each 9:30–17:00 in *tz*."""
    dates = [first_day + timedelta(days=n) for n in range(days)]
    return [Day(d, datetime.combine(d, DAY_STARTS, tz), datetime.combine(d, DAY_ENDS, tz))
            for d in dates]


def default_windows(booking_opens_at: datetime, first_day: date, days: int,
                    tz: tzinfo) -> Windows:
    """The policy's windows for a session from *first_day* lasting *days* days.

    Windows are half-open and close at 00:00 of a day, so the whole day before counts:
    booking closes as the first day begins, cancelling CANCEL_DAYS_BEFORE days earlier; the
    certification test is open 13:00–17:00 on the last day.
    """
    last = first_day + timedelta(days=days - 1)
    return Windows(
        booking_opens_at=booking_opens_at,
        booking_closes_at=datetime.combine(first_day, time(0), tz),
        cancel_cutoff_at=datetime.combine(first_day - timedelta(days=CANCEL_DAYS_BEFORE),
                                          time(0), tz),
        test_opens_at=datetime.combine(last, TEST_OPENS, tz),
        test_closes_at=datetime.combine(last, TEST_CLOSES, tz))


def window_problems(w: Windows, first_day_start: datetime) -> list[str]:
    """The order rules of a session's windows, as error codes (empty when all hold).

    Booking opens before it closes and closes by the start of the first day; cancelling
    ends no later than booking; the certification test opens before it closes.
    """
    problems = []
    if w.booking_opens_at >= w.booking_closes_at:
        problems.append("booking_window")
    if w.booking_closes_at > first_day_start:
        problems.append("booking_after_start")
    if w.cancel_cutoff_at > w.booking_closes_at:
        problems.append("cutoff_after_close")
    if w.test_opens_at >= w.test_closes_at:
        problems.append("test_window")
    return problems


@dataclass(frozen=True)
class Seat:
    """One trainee's place in a session: booked, offered, waitlisted or ended."""

    user_id: int
    #: "booked" | "offered" | "waitlisted" | "cancelled" | "declined" | "expired"
    status: str
    #: waitlist order; lower goes first
    position: int
    offer_expires_at: datetime | None = None


def offer_lapsed(seat: Seat, now: datetime) -> bool:
    """Whether *seat* is an offer that has expired at *now* (so holds no seat)."""
    return (seat.status == "offered" and seat.offer_expires_at is not None
            and seat.offer_expires_at <= now)


def seats_taken(seats: Iterable[Seat]) -> int:
    """Count the seats held: booked ones plus offered ones (held until the offer expires)."""
    return sum(1 for s in seats if s.status in ("booked", "offered"))


def expired_offers(seats: Iterable[Seat], now: datetime) -> list[int]:
    """Return the user ids whose offer has expired at *now* (expiry instant included)."""
    return [s.user_id for s in sorted(seats, key=lambda s: s.position) if offer_lapsed(s, now)]


def next_for_offer(seats: Iterable[Seat], capacity: int, now: datetime) -> list[int]:
    """Return the waitlisted user ids, in waitlist order, to offer the seats free at *now*.

    Offers that have lapsed by *now* hold no seat, so their seats are offered on.
    """
    seats = list(seats)
    held = seats_taken(s for s in seats if not offer_lapsed(s, now))
    free = max(capacity - held, 0)
    waiting = sorted((s for s in seats if s.status == "waitlisted"), key=lambda s: s.position)
    return [s.user_id for s in waiting[:free]]


def booking_window_open(opens_at: datetime, closes_at: datetime, now: datetime) -> bool:
    """Whether booking is open: from *opens_at* inclusive up to *closes_at* exclusive."""
    return opens_at <= now < closes_at


def can_cancel(cutoff_at: datetime, now: datetime) -> bool:
    """Whether a booked seat may still be cancelled: strictly before the cut-off."""
    return now < cutoff_at


def arrival_status(minutes_after_start: float, lateness_limit_minutes: int) -> str:
    """"present" up to *lateness_limit_minutes* after the day's start, "late" after it."""
    return "late" if minutes_after_start > lateness_limit_minutes else "present"


def attendance_complete(day_statuses: Mapping[date, str | None], rule: str = "all_days",
                        late_counts: bool = True) -> bool:
    """Whether the days' attendance meets *rule*; present (and late, if *late_counts*) count,
    left_early does not.

    Rules: "all_days" every day attended; "all_but_one" at most one day not attended;
    "any_day" at least one day attended. An unmarked day (None) is not attended. With no days
    at all, "all_days" and "all_but_one" hold vacuously; callers check a session has days.
    """
    if rule not in ATTENDANCE_RULES:
        raise ValueError(f"unknown attendance rule {rule!r}; expected one of {ATTENDANCE_RULES}")
    counted = ATTENDED if late_counts else ATTENDED - {"late"}
    attended = sum(1 for status in day_statuses.values() if status in counted)
    missed = len(day_statuses) - attended
    if rule == "all_days":
        return missed == 0
    if rule == "all_but_one":
        return missed <= 1
    return attended >= 1
