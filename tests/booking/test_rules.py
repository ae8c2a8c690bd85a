"""Course ② booking rules: seats, waitlist offers, windows, cut-off and attendance."""

from datetime import UTC, date, datetime, timedelta

import pytest

from lms.booking.rules import (
    Seat,
    attendance_complete,
    booking_window_open,
    can_cancel,
    expired_offers,
    next_for_offer,
    seats_taken,
)

NOW = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
D1, D2, D3 = date(2025, 6, 10), date(2025, 6, 11), date(2025, 6, 12)


def booked(user_id, position):
    return Seat(user_id, "booked", position, None)


def waiting(user_id, position):
    return Seat(user_id, "waitlisted", position, None)


def offered(user_id, position, expires_at):
    return Seat(user_id, "offered", position, expires_at)


def test_seats_taken_counts_booked_and_offered_only():
    seats = [booked(1, 1), offered(2, 2, NOW + timedelta(hours=1)), waiting(3, 3),
             Seat(4, "cancelled", 4, None), Seat(5, "declined", 5, None),
             Seat(6, "expired", 6, None)]
    assert seats_taken(seats) == 2
    assert seats_taken([]) == 0


def test_waitlist_is_offered_in_position_order_not_list_order():
    seats = [booked(1, 1), waiting(7, 9), waiting(5, 4), waiting(6, 6)]
    assert next_for_offer(seats, capacity=3, now=NOW) == [5, 6]


def test_no_offer_when_full():
    seats = [booked(1, 1), booked(2, 2), waiting(3, 3)]
    assert next_for_offer(seats, capacity=2, now=NOW) == []


def test_one_free_seat_goes_to_first_waitlisted_only():
    seats = [booked(1, 1), waiting(3, 3), waiting(2, 2)]
    assert next_for_offer(seats, capacity=2, now=NOW) == [2]


def test_more_free_seats_than_waitlist():
    assert next_for_offer([waiting(2, 2)], capacity=5, now=NOW) == [2]
    assert next_for_offer([], capacity=5, now=NOW) == []


def test_overbooked_session_offers_nothing():
    seats = [booked(1, 1), booked(2, 2), booked(3, 3), waiting(4, 4)]
    assert next_for_offer(seats, capacity=2, now=NOW) == []
    assert next_for_offer([waiting(4, 4)], capacity=0, now=NOW) == []


def test_live_offer_holds_its_seat():
    seats = [booked(1, 1), offered(2, 2, NOW + timedelta(seconds=1)), waiting(3, 3)]
    assert next_for_offer(seats, capacity=2, now=NOW) == []
    assert expired_offers(seats, NOW) == []


def test_offer_without_expiry_holds_its_seat():
    seats = [offered(2, 2, None), waiting(3, 3)]
    assert next_for_offer(seats, capacity=1, now=NOW) == []
    assert expired_offers(seats, NOW) == []


def test_offer_expiring_exactly_now_frees_its_seat_for_the_next():
    seats = [booked(1, 1), offered(2, 2, NOW), waiting(4, 4), waiting(3, 3)]
    assert expired_offers(seats, NOW) == [2]
    # the lapsed offeree is not re-offered; the next waitlisted person is
    assert next_for_offer(seats, capacity=2, now=NOW) == [3]


def test_expired_offers_lists_only_lapsed_offers_in_order():
    seats = [offered(4, 4, NOW - timedelta(hours=1)), offered(2, 2, NOW - timedelta(days=1)),
             offered(3, 3, NOW + timedelta(hours=1)), booked(1, 1), waiting(5, 5)]
    assert expired_offers(seats, NOW) == [2, 4]
    assert next_for_offer(seats, capacity=3, now=NOW) == [5]


def test_booking_window_edges():
    opens, closes = NOW, NOW + timedelta(days=7)
    tick = timedelta(microseconds=1)
    assert not booking_window_open(opens, closes, opens - tick)
    assert booking_window_open(opens, closes, opens)
    assert booking_window_open(opens, closes, closes - tick)
    assert not booking_window_open(opens, closes, closes)


def test_cancel_cutoff_edges():
    tick = timedelta(microseconds=1)
    assert can_cancel(NOW, NOW - tick)
    assert not can_cancel(NOW, NOW)
    assert not can_cancel(NOW, NOW + tick)


@pytest.mark.parametrize(("statuses", "expected"), [
    ({D1: "present", D2: "present", D3: "present"}, True),
    ({D1: "present", D2: "late", D3: "late"}, True),
    ({D1: "present", D2: "left_early", D3: "present"}, False),
    ({D1: "present", D2: "absent", D3: "present"}, False),
    ({D1: "present", D2: None, D3: "present"}, False),
    ({D1: "late"}, True),
])
def test_all_days(statuses, expected):
    assert attendance_complete(statuses) is expected
    assert attendance_complete(statuses, "all_days") is expected


@pytest.mark.parametrize(("statuses", "expected"), [
    ({D1: "present", D2: "present", D3: "present"}, True),
    ({D1: "present", D2: "absent", D3: "late"}, True),
    ({D1: "left_early", D2: "present", D3: "present"}, True),
    ({D1: None, D2: "late", D3: "present"}, True),
    ({D1: "left_early", D2: "absent", D3: "present"}, False),
    ({D1: None, D2: None, D3: "present"}, False),
    ({D1: "absent"}, True),
    ({D1: "absent", D2: "left_early"}, False),
])
def test_all_but_one(statuses, expected):
    assert attendance_complete(statuses, "all_but_one") is expected


@pytest.mark.parametrize(("statuses", "expected"), [
    ({D1: "absent", D2: None, D3: "late"}, True),
    ({D1: "present", D2: "absent"}, True),
    ({D1: "left_early", D2: "absent", D3: None}, False),
    ({D1: None}, False),
    ({}, False),
])
def test_any_day(statuses, expected):
    assert attendance_complete(statuses, "any_day") is expected


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="most_days"):
        attendance_complete({D1: "present"}, "most_days")


def test_arrival_is_late_only_after_the_configured_limit():
    from lms.booking.rules import arrival_status

    assert arrival_status(15, 15) == "present"
    assert arrival_status(15.5, 15) == "late"
    assert arrival_status(6, 5) == "late"


def test_late_need_not_count_as_attended():
    from datetime import date as d

    from lms.booking.rules import attendance_complete

    days = {d(2027, 3, 1): "present", d(2027, 3, 2): "late"}
    assert attendance_complete(days, "all_days")
    assert not attendance_complete(days, "all_days", late_counts=False)
    assert attendance_complete(days, "all_but_one", late_counts=False)


def test_default_windows_close_at_midnight_and_test_on_the_last_afternoon():
    from datetime import time

    from lms.booking.rules import default_windows, session_days, window_problems
    from lms.timeutil import TOKYO

    opens = datetime(2030, 1, 1, tzinfo=TOKYO)
    w = default_windows(opens, date(2030, 3, 4), 2, TOKYO)
    assert w.booking_closes_at == datetime(2030, 3, 4, tzinfo=TOKYO)
    assert w.cancel_cutoff_at == datetime(2030, 3, 2, tzinfo=TOKYO)
    assert (w.test_opens_at, w.test_closes_at) == (datetime(2030, 3, 5, 13, tzinfo=TOKYO),
                                                   datetime(2030, 3, 5, 17, tzinfo=TOKYO))
    days = session_days(date(2030, 3, 4), 2, TOKYO)
    assert [(d.starts_at.time(), d.ends_at.time()) for d in days] == [(time(9, 30),
                                                                       time(17))] * 2
    assert window_problems(w, days[0].starts_at) == []


def test_window_problems_name_each_broken_order():
    from dataclasses import replace

    from lms.booking.rules import Windows, window_problems

    t = datetime(2030, 3, 1, tzinfo=UTC)
    ok = Windows(t, t + timedelta(days=2), t + timedelta(days=1), t + timedelta(days=5),
                 t + timedelta(days=5, hours=4))
    start = t + timedelta(days=3)
    assert window_problems(ok, start) == []
    assert window_problems(replace(ok, booking_opens_at=ok.booking_closes_at), start) == [
        "booking_window"]
    assert window_problems(ok, t + timedelta(days=1)) == ["booking_after_start"]
    assert window_problems(replace(ok, cancel_cutoff_at=start), start) == [
        "cutoff_after_close"]
    assert window_problems(replace(ok, test_closes_at=ok.test_opens_at), start) == [
        "test_window"]
