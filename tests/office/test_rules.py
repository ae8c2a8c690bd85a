"""Who needs a nudge, from plain facts."""

from datetime import date, datetime, timedelta

from lms.office import rules

TODAY = date(2027, 1, 20)


def facts(**changes) -> rules.TraineeFacts:
    base = dict(withdrawn=False, passed_course1=True, practice_complete=False,
                booked_course2=False, waitlisted=False, returned_reports=(),
                deadlines=(rules.Deadline("course1_end", TODAY - timedelta(days=10), True),
                           rules.Deadline("goal", TODAY - timedelta(days=5), False),
                           rules.Deadline("progress", TODAY + timedelta(days=3), False)))
    return rules.TraineeFacts(**{**base, **changes})


def test_overdue_and_next_deadline():
    f = facts()
    assert [d.key for d in rules.overdue(f, TODAY)] == ["goal"]
    assert rules.next_deadline(f, TODAY).key == "progress"
    assert rules.flags_of(f, TODAY) == ["overdue"]
    assert rules.stage_of(f) == "practice"


def test_withdrawn_trainees_have_nothing_to_act_on():
    f = facts(withdrawn=True, returned_reports=("goal",), waitlisted=True)
    assert rules.overdue(f, TODAY) == [] and rules.next_deadline(f, TODAY) is None
    assert rules.flags_of(f, TODAY) == ["withdrawn"]


def _row(name, progress, last=None, days=None):
    return rules.TraineeRow(1, 1, name, f"{name}@x", "", "course1", progress, last, None, days)


def test_sorting_puts_missing_values_last_either_way():
    rows = [_row("a", 10, days=5), _row("b", 50), _row("c", 30, datetime(2027, 1, 1), 2)]
    assert [r.name for r in rules.select_rows(rows, sort="deadline")] == ["c", "a", "b"]
    assert [r.name for r in rules.select_rows(rows, sort="deadline", descending=True)] == [
        "a", "c", "b"]
    assert [r.name for r in rules.select_rows(rows, sort="progress", descending=True)] == [
        "b", "c", "a"]
    assert [r.name for r in rules.select_rows(rows, query="B@X")] == ["b"]


def test_pass_rates_and_medians():
    assert rules.pass_rates([("A", 1, True), ("A", 1, False), ("A", 2, True)]) == [
        ("A", 1, 1, 2), ("A", 2, 1, 1)]
    start = datetime(2027, 1, 1)
    assert rules.median_days([(start, start + timedelta(days=d)) for d in (1, 3, 10)]) == 3.0
    assert rules.median_days([]) is None
