"""§4 eligibility and the normalising of typed dates and furigana: pure, no app."""

from datetime import date

import pytest

from lms.applications.rules import (
    DateProblem,
    Facts,
    Period,
    Thresholds,
    eligibility,
    is_katakana,
    normalise_count,
    normalise_furigana,
    parse_date,
    union_days,
    window,
)

START = date(2025, 8, 1)  # window: 2020-08-01 .. 2025-07-31


def verdict(periods=(), qualifications=(), post="1-1", start=START):
    return eligibility(Facts(start, post, tuple(periods), tuple(qualifications)))


def test_window_is_the_five_years_before_the_training_start():
    assert window(START) == (date(2020, 8, 1), date(2025, 7, 31))
    assert window(date(2028, 2, 29)) == (date(2023, 3, 1), date(2028, 2, 28))


def test_enough_experience_is_eligible_with_reasons():
    v = verdict([Period("2-2", date(2023, 1, 1), date(2024, 12, 31), 400)])
    assert v.eligible and v.days_in_post == 731 and v.days_worked == 400
    assert "在職期間 731日（365日以上を満たす）" in v.reasons
    assert v.rules_version == "eligibility/2025-02-27/r1/5y-365-180"


def test_a_period_straddling_the_window_start_is_clipped():
    # 2019-08-01 .. 2021-07-31: only 2020-08-01 .. 2021-07-31 (365 days) is inside
    v = verdict([Period("2-4", date(2019, 8, 1), date(2021, 7, 31), 300)])
    assert v.days_in_post == 365 and v.eligible
    short = verdict([Period("2-4", date(2019, 8, 1), date(2021, 7, 30), 300)])
    assert short.days_in_post == 364 and not short.eligible
    assert "在職期間 364日（365日以上が必要）" in short.reasons


def test_overlapping_periods_at_two_desks_count_once():
    v = verdict([Period("2-2", date(2024, 1, 1), date(2024, 6, 30), 100),
                 Period("2-3", date(2024, 4, 1), date(2024, 9, 30), 100)])
    assert v.days_in_post == union_days([(date(2024, 1, 1), date(2024, 9, 30))]) == 274
    assert not v.eligible
    assert "在職期間 274日（365日以上が必要）" in v.reasons


def test_an_ongoing_post_runs_to_the_day_before_the_training_start():
    v = verdict([Period("2-2", date(2024, 8, 1), None, 200)])
    assert v.days_in_post == 365 and v.eligible
    assert verdict([Period("2-2", date(2024, 8, 2), None, 200)]).days_in_post == 364


def test_exactly_365_days_is_enough_and_364_is_not():
    exact = verdict([Period("2-1", date(2023, 1, 1), date(2023, 12, 31), 200)])
    assert exact.days_in_post == 365 and exact.eligible
    leap = verdict([Period("2-1", date(2024, 1, 1), date(2024, 12, 30), 200)])
    assert leap.days_in_post == 365 and leap.eligible


def test_179_working_days_fail_and_180_pass():
    year = (date(2023, 1, 1), date(2023, 12, 31))
    low = verdict([Period("2-2", *year, 179)])
    assert not low.eligible and "従事日数 179日（180日以上が必要）" in low.reasons
    assert verdict([Period("2-2", *year, 180)]).eligible


def test_declared_working_days_above_the_days_in_post_are_capped():
    v = verdict([Period("2-2", date(2025, 5, 1), date(2025, 5, 31), 100)])
    assert v.days_in_post == 31 and v.days_worked == 31
    assert any("31日として計算しました" in r for r in v.reasons)
    # two overlapping periods: each within its length, the sum above the union
    both = verdict([Period("2-2", date(2025, 1, 1), date(2025, 3, 31), 90),
                    Period("2-3", date(2025, 1, 1), date(2025, 3, 31), 90)])
    assert both.days_in_post == 90 and both.days_worked == 90


def test_periods_outside_the_window_or_at_other_desks_do_not_count():
    v = verdict([Period("2-2", date(2010, 1, 1), date(2019, 12, 31), 1000),
                 Period("3-9", date(2022, 1, 1), date(2024, 12, 31), 500)])
    assert v.days_in_post == 0 and not v.eligible
    assert sum("算入しません" in r for r in v.reasons) == 2


def test_a_qualification_holder_needs_no_experience():
    v = verdict(qualifications=["社会福祉士"])
    assert v.eligible and v.exempt_by == "社会福祉士" and v.days_in_post == 0
    assert "社会福祉士の資格により、実務経験の要件は免除されます" in v.reasons


@pytest.mark.parametrize("post", ["2-2", None, "other"])
def test_a_qualification_does_not_replace_the_current_post(post):
    v = verdict([Period("2-2", date(2020, 8, 1), None, 1000)], ["公認心理師"], post=post)
    assert not v.eligible
    assert any("資格による免除の対象外" in r for r in v.reasons)


def test_a_grade_3_career_consulting_technician_is_not_exempt():
    v = verdict(qualifications=["キャリアコンサルティング技能士3級"])
    assert not v.eligible and v.exempt_by is None
    assert any("1級・2級のみ" in r for r in v.reasons)
    assert verdict(qualifications=["キャリアコンサルティング技能士2級"]).eligible


def test_thresholds_are_settings_and_name_the_version():
    t = Thresholds(min_days_in_post=300, min_days_worked=100)
    v = eligibility(Facts(START, "1-2", (Period("2-2", date(2024, 9, 1), None, 100),)), t)
    assert v.eligible and v.rules_version.endswith("5y-300-100")


@pytest.mark.parametrize("text, expected", [
    ("2024-04-01", date(2024, 4, 1)), ("2024/4/1", date(2024, 4, 1)),
    ("２０２４／４／１", date(2024, 4, 1)), ("2024年4月1日", date(2024, 4, 1)),
    ("令和6年4月1日", date(2024, 4, 1)), ("令和６年４月１日", date(2024, 4, 1)),
    ("令和元年5月1日", date(2019, 5, 1)), ("平成31年4月30日", date(2019, 4, 30)),
    ("平成元年1月8日", date(1989, 1, 8)), ("R6.4.1", date(2024, 4, 1)),
    ("h30.12.1", date(2018, 12, 1)), (" 2024 / 4 / 1 ", date(2024, 4, 1)),
])
def test_dates_typed_in_japanese_ways_are_read(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, code", [
    ("", "empty"), ("yesterday", "format"), ("2024/13/1", "invalid"),
    ("2023/2/29", "invalid"), ("平成31年5月1日", "era_range"), ("令和元年4月30日", "era_range"),
    ("令和0年1月1日", "invalid"),
])
def test_unreadable_dates_say_why(text, code):
    with pytest.raises(DateProblem) as info:
        parse_date(text)
    assert info.value.code == code


def test_furigana_is_full_width_katakana():
    assert normalise_furigana("ﾀﾅｶ ｲﾁﾛｳ") == "タナカ\u3000イチロウ"
    assert normalise_furigana("たなか　いちろう") == "タナカ\u3000イチロウ"
    assert normalise_furigana("たなか", hiragana_to_katakana=False) == "たなか"
    assert is_katakana("タナカ\u3000イチロウ") and not is_katakana("田中")


def test_counts_accept_full_width_digits():
    assert normalise_count("２００日") == 200 and normalise_count("1,200") == 1200
    with pytest.raises(ValueError):
        normalise_count("二百")


def test_evidence_is_judged_by_content_not_name():
    from lms.applications.evidence import EvidenceError, check
    from tests.applications.conftest import PDF, PNG

    assert check("a.pdf", PDF, 1000) == "application/pdf"
    assert check("scan.PNG", PNG, 1000) == "image/png"
    assert check("no-suffix", PNG, 1000) == "image/png"
    for name, data, limit, code in (("a.pdf", b"hello", 1000, "type"),
                                    ("a.pdf", PNG, 1000, "mismatch"),
                                    ("a.pdf", PDF, 10, "too_large"),
                                    ("a.pdf", b"", 10, "empty")):
        with pytest.raises(EvidenceError) as info:
            check(name, data, limit)
        assert info.value.code == code
