"""Watched-coverage rules, without an app."""

from datetime import UTC

from lms.content.rules import (
    clean_segments,
    coverage,
    is_complete,
    merge,
    plausible,
    played_segments_string,
)


def test_replaying_one_part_adds_nothing():
    segments = [(0, 10), (0, 10), (2, 8), (0, 10)]
    assert coverage(segments, 100) == 0.10


def test_seeking_to_the_end_covers_only_what_played():
    # played 0–3 s, seeked to 95 s, played to the end
    assert coverage([(0, 3), (95, 100)], 100) == 0.08
    assert not is_complete([(0, 3), (95, 100)], 100, 0.95)


def test_order_of_reports_does_not_matter():
    a = [(10, 20), (0, 5), (4, 11), (50, 60)]
    assert merge(a) == merge(list(reversed(a))) == [(0, 20), (50, 60)]


def test_complete_at_threshold_edge():
    assert is_complete([(0, 95)], 100, 0.95)
    assert not is_complete([(0, 94.9)], 100, 0.95)


def test_bad_segments_are_dropped_and_clipped():
    raw = [(5, 3), ("x", 1), (None,), (-4, 2), (90, 130), (float("nan"), 4)]
    assert clean_segments(raw, 100) == [(0.0, 2.0), (90.0, 100.0)]


def test_small_gaps_from_sampling_are_joined():
    assert merge([(0, 1.0), (1.2, 2)], gap=0.3) == [(0, 2)]
    assert merge([(0, 1.0), (1.5, 2)], gap=0.3) == [(0, 1.0), (1.5, 2)]


def test_forged_whole_video_right_after_opening_is_cut_back():
    # 5 s after opening, at most 5*2 + 10 = 20 s of media can have been played
    assert plausible([(0, 600)], 5) == [(0, 20.0)]
    assert plausible([(0, 10), (20, 30)], 1000) == [(0, 10), (20, 30)]


def test_played_segments_format():
    assert played_segments_string([(0, 5.5), (10, 20)]) == "0[.]5.5[,]10[.]20"


def test_the_watch_clock_credits_parallel_tabs_as_one_person():
    from datetime import datetime, timedelta

    from lms.content.rules import credit

    t0 = datetime(2027, 1, 1, tzinfo=UTC)
    now = t0 + timedelta(seconds=25)
    first = credit(50, None, t0, now, rate=2.0)  # one tab, 25 s at 2×
    assert first.seconds == 50 and first.clock == now
    clock, total = first.clock, first.seconds
    for _ in range(13):  # thirteen more tabs reporting at the same moment
        granted = credit(50, clock, t0, now, rate=2.0)
        clock, total = granted.clock, total + granted.seconds
    assert total <= 50 + 10  # one person's 25 seconds at 2×, plus the slack once
    later = credit(60, clock, t0, now + timedelta(seconds=60), rate=2.0)
    assert later.seconds == 60  # watching goes on at the normal pace


def test_within_credit_keeps_what_was_stored_and_adds_the_earliest_new_part():
    from lms.content.rules import subtract, within_credit

    assert subtract([(0, 100)], [(20, 30), (50, 60)]) == [(0, 20), (30, 50), (60, 100)]
    assert within_credit([(50, 60)], [(0, 100)], 25) == [(0, 25), (50, 60)]
