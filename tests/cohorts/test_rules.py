"""Pure cohort date rules."""

from datetime import date, timedelta

from lms.cohorts.rules import current_stage, date_order_problems, window_progress
from lms.demo import cohort_dates

START = date(2026, 4, 1)


def test_demo_dates_are_in_order():
    assert date_order_problems(cohort_dates(START)) == []


def test_reversed_dates_are_reported_by_pair():
    dates = cohort_dates(START)
    dates["final_report_due"] = dates["progress_report_due"] - timedelta(days=1)
    assert date_order_problems(dates) == [("progress_report_due", "final_report_due")]


def test_current_stage_at_the_edges():
    dates = cohort_dates(START)
    assert current_stage(dates, START - timedelta(days=1)) == "before"
    assert current_stage(dates, START) == "course1"
    assert current_stage(dates, dates["course1_end"]) == "course1"
    assert current_stage(dates, dates["practice_start"]) == "practice"
    assert current_stage(dates, dates["practice_end"] + timedelta(days=1)) == "between"
    assert current_stage(dates, dates["course2_end"]) == "course2"
    assert current_stage(dates, dates["course2_end"] + timedelta(days=1)) == "after"


def test_window_progress_is_clamped():
    assert window_progress(START, START + timedelta(days=10), START - timedelta(days=3)) == 0
    assert window_progress(START, START + timedelta(days=10), START + timedelta(days=5)) == 50
    assert window_progress(START, START + timedelta(days=10), START + timedelta(days=30)) == 100
