"""Watched-coverage rules, without an app."""

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
