"""The 2-year bar of §6(1) イ–エ, counted as the Civil Code counts (PROGRAM.md "Readings")."""

import json
from datetime import date

import pytest

from lms.certification import rules
from lms.certification.rules import Ground, bar_ends, barred, disqualifying, quorum_outcome


def test_a_sentence_served_bars_through_the_anniversary_and_not_after():
    since = date(2024, 5, 1)
    assert bar_ends(since) == date(2026, 5, 1)
    assert barred(since, date(2026, 4, 30))  # the day before the anniversary
    assert barred(since, date(2026, 5, 1))  # the anniversary itself is still barred
    assert not barred(since, date(2026, 5, 2))  # the day after


def test_a_revocation_bars_two_years_as_the_readings_say():
    assert bar_ends(date(2025, 6, 10)) == date(2027, 6, 10)


def test_29_february_and_the_day_before_it():
    # counting starts on 1 March 2024; the period ends the day before 1 March 2026
    assert bar_ends(date(2024, 2, 29)) == date(2026, 2, 28)
    # counting starts on 29 February 2024; 2026 has none, so the end of February (art. 143)
    assert bar_ends(date(2024, 2, 28)) == date(2026, 2, 28)
    assert bar_ends(date(2023, 2, 28)) == date(2025, 2, 28)


def test_a_sentence_not_yet_served_always_bars():
    assert barred(None, date(2040, 1, 1))


def test_grounds_flag_only_while_barred():
    decision = date(2026, 11, 30)
    a_year_ago = date(2025, 11, 30)
    assert disqualifying([Ground("イ", True, a_year_ago)], decision) == ["イ"]
    assert disqualifying([Ground("ウ", True, date(2024, 11, 29))], decision) == []
    assert disqualifying([Ground("ア", True)], decision) == ["ア"]
    assert disqualifying([Ground("イ", False), Ground("エ", False)], decision) == []
    # エ from the registry joins the declared grounds; order is always ア–エ
    assert disqualifying([Ground("エ", True, date(2026, 1, 1)), Ground("ア", True)],
                         decision) == ["ア", "エ"]


def test_quorum():
    assert quorum_outcome(["certified"], 2) is None
    assert quorum_outcome(["certified", "hold"], 2) is None
    assert quorum_outcome(["certified", "hold", "certified"], 2) == "certified"
    assert quorum_outcome(["hold"], 1) == "hold"


@pytest.mark.parametrize(("ground", "since", "decision", "answer"), [
    ("イ", "2024-05-01", "2026-05-01", True),
    ("イ", "2024-05-01", "2026-05-02", False),
    ("ウ", "2024-05-01", "2026-04-30", True),
    ("エ", "2025-06-10", "2027-06-11", False),
])
def test_rules_command(app, ground, since, decision, answer):
    runner = app.test_cli_runner()
    payload = json.dumps({"ground": ground, "since": since, "decision": decision})
    result = runner.invoke(args=["lms", "rules", "disqualified"], input=payload)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"disqualified": answer}


def test_rules_command_refuses_ground_a(app):
    result = app.test_cli_runner().invoke(
        args=["lms", "rules", "disqualified"],
        input='{"ground": "ア", "since": "2024-01-01", "decision": "2025-01-01"}')
    assert result.exit_code != 0 and "ground must be one of" in result.output
    assert rules.DATED_GROUNDS == ("イ", "ウ", "エ")
