"""Paging arithmetic of the office lists (lms/paging.py: pure)."""

from lms.paging import Page, clamp, offset, page_window


def test_the_window_shows_ends_and_neighbours_with_gaps():
    assert page_window(6, 200) == [1, None, 4, 5, 6, 7, 8, None, 200]
    assert page_window(1, 200) == [1, 2, 3, None, 200]
    assert page_window(200, 200) == [1, None, 198, 199, 200]
    assert page_window(4, 7) == [1, 2, 3, 4, 5, 6, 7]  # no gap of a single page hidden
    assert page_window(1, 1) == [1]


def test_a_page_past_the_end_is_the_last_and_below_one_the_first():
    assert clamp(99, 101, 50) == 3 and clamp(0, 101, 50) == 1 and clamp(2, 0, 50) == 1
    assert offset(3, 50) == 100


def test_the_position_of_the_rows_shown():
    last = Page(rows=["a"], total=101, number=3, per_page=50)
    assert (last.pages, last.first, last.last) == (3, 101, 101)
    empty = Page(rows=[], total=0, number=1, per_page=50)
    assert (empty.pages, empty.first, empty.last) == (1, 0, 0)
