"""Pure practice-stage rules: character counts, answer checks, due dates and windows."""

from datetime import date, timedelta

import pytest

from lms.practice.formfile import Deadline, Field, ReportForm
from lms.practice.rules import (
    count_chars,
    due_date,
    is_late,
    reflection_editable,
    reminder_days,
    streak,
    validate_values,
    withdrawal_due,
)

FINAL_DUE = Deadline("final_report_due", 0)


def make_form(*fields: Field, deadline: Deadline = FINAL_DUE) -> ReportForm:
    return ReportForm(id="final", kind="final", title="t", description="", deadline=deadline,
                      editable_days=None, fields=fields, path="reports/final.yaml",
                      content_hash="0")


TEXT = Field("summary", "text", "まとめ", multiline=True, min_length=5, max_length=10)
CHOICE = Field("level", "choice", "達成度", options=("達成した", "一部達成した"))
MULTI = Field("skills", "multichoice", "力", options=("在留", "文化", "つなぎ"))
DAY = Field("target", "date", "目安日")
NUMBER = Field("cases", "number", "件数", min=0, max=3000, unit="件")
DECIMAL = Field("hours", "number", "時間", min=0.5, max=40)
FILE = Field("attachment", "file", "参考資料", required=False, accept=("pdf", "docx"),
             max_size_mb=10)
FORM = make_form(TEXT, CHOICE, MULTI, DAY, NUMBER, DECIMAL, FILE)
GOOD = {"summary": "相談の概要です", "level": "達成した", "skills": ["在留", "つなぎ"],
        "target": "2026-03-31", "cases": "120", "hours": 2.5,
        "attachment": {"name": "list.PDF", "size": 1024}}
MB = 1024 * 1024


# --- count_chars -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("", 0),
    ("相談", 2),
    ("ｿｳﾀﾞﾝ", 5),  # half-width katakana: the voiced mark ﾞ is a character of its own
    ("ＡＢＣabc", 6),  # full-width and half-width both count 1
    ("a b\u3000c", 5),  # half-width and ideographic spaces count
    ("か\u3099", 1),  # か + combining dakuten is が after NFC
    ("e\u0301", 1),  # é composed by NFC
    ("q\u0301", 1),  # no precomposed form: the combining mark still does not count
    ("😀", 1),  # outside the BMP: one character, not two UTF-16 units
    ("❤\ufe0f", 1),  # emoji presentation selector
    ("葛\U000e0100", 1),  # ideographic variation selector
    ("\U00020bb7野家", 3),  # 𠮷 outside the BMP
    ("一行目\r\n二行目\n", 6),  # line breaks never count, CRLF or LF
    ("一行目\r二行目", 6),
])
def test_count_chars_counts_what_a_japanese_reader_counts(text, expected):
    assert count_chars(text) == expected


def test_crlf_and_lf_texts_count_the_same():
    assert count_chars("あ\r\nい\r\nう") == count_chars("あ\nい\nう") == 3


# --- validate_values ---------------------------------------------------------------------

def test_a_complete_answer_has_no_errors_draft_or_final():
    assert validate_values(FORM, GOOD, final=True) == {}
    assert validate_values(FORM, GOOD, final=False) == {}


def test_empty_answers_are_required_only_on_a_final_submission():
    empty = {"summary": "  \n", "level": "", "skills": [], "target": None, "cases": ""}
    required = {"summary": "required", "level": "required", "skills": "required",
                "target": "required", "cases": "required", "hours": "required"}
    assert validate_values(FORM, empty, final=True) == required
    assert validate_values(FORM, {}, final=True) == required  # the optional file is not
    assert validate_values(FORM, empty, final=False) == {}


def test_unknown_keys_are_ignored():
    assert validate_values(FORM, {**GOOD, "extra": object()}, final=True) == {}


@pytest.mark.parametrize(("text", "final_code", "draft_code"), [
    ("あいうえ", "too_short", None),
    ("あいうえお", None, None),
    ("あ\r\nい\r\nう\r\nえ\r\nお", None, None),  # line breaks do not pad a short text
    ("あいうえ\n", "too_short", None),
    ("あいうえおかきくけこ", None, None),
    ("あいうえおかきくけこさ", "too_long", "too_long"),
    (["a list"], "invalid", "invalid"),
])
def test_text_length_limits(text, final_code, draft_code):
    form = make_form(TEXT)
    expected = {} if final_code is None else {"summary": final_code}
    assert validate_values(form, {"summary": text}, final=True) == expected
    expected = {} if draft_code is None else {"summary": draft_code}
    assert validate_values(form, {"summary": text}, final=False) == expected


@pytest.mark.parametrize(("field", "value", "code"), [
    (CHOICE, "達成", "not_a_choice"),
    (CHOICE, ["達成した"], "not_a_choice"),
    (MULTI, ["在留", "友情"], "not_a_choice"),
    (MULTI, "在留", "not_a_choice"),
    (MULTI, ["在留", "在留"], "not_a_choice"),
    (DAY, "2026-02-30", "not_a_date"),
    (DAY, "2026/03/31", "not_a_date"),
    (DAY, "20260331", "not_a_date"),
    (DAY, "2026-03-31T09:00", "not_a_date"),
    (NUMBER, "十二", "not_a_number"),
    (NUMBER, "1,200", "not_a_number"),
    (NUMBER, "nan", "not_a_number"),
    (NUMBER, "1e3", "not_a_number"),
    (NUMBER, True, "not_a_number"),
    (NUMBER, float("inf"), "not_a_number"),
    (NUMBER, "-1", "below_min"),
    (NUMBER, -0.5, "below_min"),
    (NUMBER, "3001", "above_max"),
    (DECIMAL, "0.4", "below_min"),
    (DECIMAL, "40.01", "above_max"),
    (FILE, {"name": "list.exe", "size": 10}, "bad_file_type"),
    (FILE, {"name": "pdf", "size": 10}, "bad_file_type"),
    (FILE, {"name": "list.pdf", "size": 10 * MB + 1}, "file_too_large"),
    (FILE, {"name": "list.pdf"}, "invalid"),
    (FILE, "list.pdf", "invalid"),
])
def test_each_type_reports_its_code_on_drafts_and_final_submissions(field, value, code):
    form = make_form(field)
    assert validate_values(form, {field.id: value}, final=True) == {field.id: code}
    assert validate_values(form, {field.id: value}, final=False) == {field.id: code}


@pytest.mark.parametrize(("field", "value"), [
    (CHOICE, "一部達成した"),
    (MULTI, ["文化"]),
    (MULTI, ("在留", "文化", "つなぎ")),
    (DAY, "2028-02-29"),
    (NUMBER, "0"),
    (NUMBER, " 3000 "),
    (NUMBER, "１２"),  # full-width digits from an IME
    (NUMBER, 12),
    (DECIMAL, "0.5"),
    (DECIMAL, 0.5),
    (DECIMAL, "40"),
    (FILE, {"name": "plan.v2.docx", "size": 10 * MB}),  # exactly the limit is fine
])
def test_values_at_and_inside_the_limits_are_accepted(field, value):
    assert validate_values(make_form(field), {field.id: value}, final=True) == {}


# --- due dates -----------------------------------------------------------------------------

COHORT = {"final_report_due": date(2026, 3, 13), "practice_start": date(2025, 12, 1)}


def test_due_date_is_the_cohort_date_plus_the_offset():
    assert due_date(make_form(), COHORT, None) == date(2026, 3, 13)
    goal = make_form(deadline=Deadline("practice_start", 14))
    assert due_date(goal, COHORT, None) == date(2025, 12, 15)
    early = make_form(deadline=Deadline("final_report_due", -3))
    assert due_date(early, COHORT, None) == date(2026, 3, 10)


def test_an_extension_moves_the_due_date_only_later():
    form = make_form()
    assert due_date(form, COHORT, date(2026, 3, 20)) == date(2026, 3, 20)
    assert due_date(form, COHORT, date(2026, 3, 1)) == date(2026, 3, 13)
    assert due_date(form, COHORT, date(2026, 3, 13)) == date(2026, 3, 13)


def test_the_due_day_itself_is_on_time():
    due = date(2026, 3, 13)
    assert not is_late(due, date(2026, 3, 12))
    assert not is_late(due, due)
    assert is_late(due, date(2026, 3, 14))


# --- withdrawal (辞退扱い) -----------------------------------------------------------------

DUES = {"goal": date(2025, 12, 15), "progress": date(2026, 1, 30),
        "final": date(2026, 3, 13)}


@pytest.mark.parametrize(("today", "submitted", "missed"), [
    (date(2026, 1, 30), set(), []),  # the due day is not yet past
    (date(2026, 1, 31), set(), ["progress"]),
    (date(2026, 1, 31), {"progress"}, []),
    (date(2026, 3, 14), {"progress"}, ["final"]),
    (date(2026, 3, 14), {"final"}, ["progress"]),
    (date(2026, 3, 14), set(), ["progress", "final"]),
    (date(2026, 3, 14), {"progress", "final"}, []),
    (date(2027, 1, 1), {"progress", "final"}, []),  # a missed goal sheet is no withdrawal
])
def test_withdrawal_picks_exactly_the_missed_progress_and_final_reports(today, submitted,
                                                                         missed):
    assert withdrawal_due(DUES, submitted, today) == missed


def test_withdrawal_skips_a_kind_without_a_due_date():
    assert withdrawal_due({"final": date(2026, 3, 13)}, set(), date(2026, 4, 1)) == ["final"]


# --- reminders -----------------------------------------------------------------------------

def test_reminders_go_out_seven_days_and_one_day_before_only():
    due = date(2026, 3, 13)
    days = {offset: reminder_days(due, due - timedelta(days=offset)) for offset in range(-2, 10)}
    assert {offset: d for offset, d in days.items() if d is not None} == {7: 7, 1: 1}


def test_reminder_schedule_is_a_parameter():
    assert reminder_days(date(2026, 3, 13), date(2026, 3, 10), schedule=(3,)) == 3
    assert reminder_days(date(2026, 3, 13), date(2026, 3, 6), schedule=(3,)) is None


# --- reflections -------------------------------------------------------------------------

def test_a_reflection_is_editable_from_its_day_for_editable_days_days():
    entry = date(2026, 1, 5)
    assert not reflection_editable(entry, date(2026, 1, 4), 3)  # not ahead of time
    assert reflection_editable(entry, entry, 3)
    assert reflection_editable(entry, date(2026, 1, 8), 3)
    assert not reflection_editable(entry, date(2026, 1, 9), 3)
    assert reflection_editable(entry, entry, 0)
    assert not reflection_editable(entry, date(2026, 1, 6), 0)


def test_streak_counts_consecutive_days_ending_today_or_yesterday():
    today = date(2026, 1, 10)
    days = [today - timedelta(days=n) for n in (1, 2, 3, 5)]
    assert streak(days, today) == 3  # nothing today yet: the streak up to yesterday
    assert streak([today, *days], today) == 4
    assert streak([today], today) == 1
    assert streak([today - timedelta(days=2)], today) == 0
    assert streak([], today) == 0
    assert streak([today + timedelta(days=1), today, today], today) == 1  # no double count


def test_report_forms_open_with_the_stage_then_progress_then_final():
    from datetime import date as d

    from lms.practice.rules import report_not_open

    dates = {"practice_start": d(2027, 1, 10), "progress_report_opens": d(2027, 2, 1)}
    assert report_not_open("goal", d(2027, 1, 9), dates, False) == "stage_not_started"
    assert report_not_open("goal", d(2027, 1, 10), dates, False) is None
    assert report_not_open("progress", d(2027, 1, 31), dates, False) == "progress_not_open"
    assert report_not_open("progress", d(2027, 2, 1), dates, False) is None
    assert report_not_open("progress", d(2027, 1, 31), dates, False,
                           progress_on_cohort_date=False) is None
    assert report_not_open("final", d(2027, 2, 2), dates, False) == "progress_first"
    assert report_not_open("final", d(2027, 2, 2), dates, True) is None
    assert report_not_open("final", d(2027, 2, 2), dates, False,
                           final_after_progress=False) is None
