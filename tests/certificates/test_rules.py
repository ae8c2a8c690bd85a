"""The certificate's pure rules, without an app."""

from datetime import date

import pytest

from lms.certificates import rules
from lms.certificates.rules import CertificateStatus as S


@pytest.mark.parametrize("certified, until", [
    (date(2025, 3, 28), date(2028, 3, 31)),  # the guideline's example (FY2024)
    (date(2025, 3, 31), date(2028, 3, 31)),  # 31 March: still the old fiscal year
    (date(2025, 4, 1), date(2029, 3, 31)),  # 1 April: a new fiscal year
    (date(2024, 2, 29), date(2027, 3, 31)),  # leap day, in January–March (FY2023)
    (date(2026, 1, 5), date(2029, 3, 31)),  # January: FY2025
    (date(2025, 12, 31), date(2029, 3, 31)),
])
def test_validity_runs_to_31_march_of_the_fiscal_year_plus_three(certified, until):
    assert rules.valid_until(certified) == until


def test_fiscal_year():
    assert rules.fiscal_year(date(2025, 3, 31)) == 2024
    assert rules.fiscal_year(date(2025, 4, 1)) == 2025


@pytest.mark.parametrize("renewed_on", [date(2027, 10, 1), date(2028, 3, 31)])
def test_renewal_before_or_on_expiry_runs_three_years_from_the_old_expiry(renewed_on):
    assert rules.renewal(date(2028, 3, 31), renewed_on).valid_until == date(2031, 3, 31)


def test_renewal_after_expiry_is_refused_with_a_reason():
    answer = rules.renewal(date(2028, 3, 31), date(2028, 4, 1))
    assert answer.valid_until is None
    assert "new certification" in answer.reason


def test_renewal_from_a_leap_day_expiry():
    assert rules.renewal(date(2028, 2, 29), date(2028, 1, 1)).valid_until == date(2031, 2, 28)


def test_status():
    until = date(2028, 3, 31)
    assert rules.status(until, date(2027, 9, 29)) == S.VALID
    assert rules.status(until, date(2027, 9, 30)) == S.RENEWAL_DUE  # 6 months before
    assert rules.status(until, date(2028, 3, 31)) == S.RENEWAL_DUE  # the expiry day counts
    assert rules.status(until, date(2028, 4, 1)) == S.LAPSED
    assert rules.status(until, date(2026, 1, 1), revoked=True) == S.REVOKED
    assert rules.status(until, date(2026, 1, 1), superseded=True) == S.SUPERSEDED
    assert rules.status(until, date(2027, 12, 1), window_months=3) == S.VALID


def test_reminders_are_due_from_each_milestone_once_reached():
    until = date(2028, 3, 31)
    months = (6, 3, 1)
    assert rules.reminder_due(until, date(2027, 9, 29), months) is None
    assert rules.reminder_due(until, date(2027, 9, 30), months) == 6
    assert rules.reminder_due(until, date(2027, 12, 31), months) == 3
    assert rules.reminder_due(until, date(2028, 2, 29), months) == 1  # 31 March − 1 month
    assert rules.reminder_due(until, date(2028, 3, 31), months) == 1
    assert rules.reminder_due(until, date(2028, 4, 1), months) is None


@pytest.mark.parametrize("day, text", [
    (date(2025, 3, 28), "令和7年3月28日"),
    (date(2019, 5, 1), "令和元年5月1日"),
    (date(2019, 4, 30), "平成31年4月30日"),
    (date(1989, 1, 8), "平成元年1月8日"),
    (date(1989, 1, 7), "昭和64年1月7日"),
    (date(2028, 3, 31), "令和10年3月31日"),
    (date(2020, 1, 1), "令和2年1月1日"),
])
def test_japanese_era_dates(day, text):
    assert rules.japanese_date(day) == text


def test_certificate_numbers_carry_a_check_digit():
    number = rules.certificate_number(2025, 1)
    assert number == "2025-0001-3"
    assert rules.parse_certificate_number("２０２５−０００１−３") == number
    assert rules.parse_certificate_number("202500013") == number
    assert rules.parse_certificate_number("2025-0001-4") is None  # wrong check digit
    assert rules.parse_certificate_number("2025-0010-3") is None  # swapped digits
    assert rules.parse_certificate_number("abc") is None
    numbers = {rules.certificate_number(2025, n) for n in range(1, 500)}
    assert len(numbers) == 499


def test_family_name_matching():
    assert rules.family_name_matches("田中", "田中 一郎")
    assert rules.family_name_matches("田中", "田中　一郎")
    assert not rules.family_name_matches("一郎", "田中 一郎")
    assert not rules.family_name_matches("", "田中 一郎")
    assert rules.family_name_matches("田中", "田中一郎")
    assert not rules.family_name_matches("田", "田中一郎")


def test_rule_commands(runner):
    out = runner.invoke(args=["lms", "rules", "validity"], input='{"certified_on": "2025-03-28"}')
    assert out.output.strip() == '{"valid_until": "2028-03-31"}'
    out = runner.invoke(args=["lms", "rules", "validity"], input='{"certified_on": "2025-04-01"}')
    assert out.output.strip() == '{"valid_until": "2029-03-31"}'
    out = runner.invoke(args=["lms", "rules", "renewal"],
                        input='{"valid_until": "2028-03-31", "renewed_on": "2028-03-31"}')
    assert out.output.strip() == '{"valid_until": "2031-03-31"}'
    out = runner.invoke(args=["lms", "rules", "renewal"],
                        input='{"valid_until": "2028-03-31", "renewed_on": "2028-04-01"}')
    assert '"valid_until": null' in out.output and "reason" in out.output
