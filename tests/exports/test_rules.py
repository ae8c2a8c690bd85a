"""Export cell rules: text that a spreadsheet could run is guarded; numbers stay numbers."""

from datetime import UTC, date, datetime

import pytest

from lms.exports import Column, ExportTable, register
from lms.exports.rules import csv_cell, guard_text, xlsx_value
from lms.timeutil import TOKYO


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx",
                                  "＝1+1", "＋1", "－1", "＠x"])
def test_formula_starts_are_guarded(text):
    assert guard_text(text) == "'" + text


@pytest.mark.parametrize("text", ["田中", "a=1", "1+1", ""])
def test_other_text_is_left_alone(text):
    assert guard_text(text) == text


def test_numbers_dates_and_times():
    assert csv_cell(-5, TOKYO) == "-5" and csv_cell(2.5, TOKYO) == "2.5"
    assert csv_cell(datetime(2026, 3, 1, 15, 30, tzinfo=UTC), TOKYO) == "2026-03-02 00:30"
    assert csv_cell(date(2026, 4, 1), TOKYO) == "2026-04-01"
    assert xlsx_value(-5, TOKYO) == (-5, "n")
    assert xlsx_value("-5", TOKYO) == ("'-5", "s")
    assert xlsx_value(datetime(2026, 3, 1, 15, 30, 9, tzinfo=UTC), TOKYO) == (
        datetime(2026, 3, 2, 0, 30), "d")


def test_special_care_data_cannot_be_registered():
    with pytest.raises(ValueError):
        register(ExportTable("bad", "Bad", (Column("disqualification_declaration", "x"),),
                             lambda params: []))
