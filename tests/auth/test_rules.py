"""Pure login rules, tested without an app."""

from datetime import UTC, datetime, timedelta

from lms.auth.rules import ThrottlePolicy, delay_after, is_locked, password_problems

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(free=5, first_delay=30, max_delay=900, forget_after=3600)


def test_four_failures_cost_nothing():
    assert [delay_after(n, POLICY) for n in range(5)] == [timedelta(0)] * 5


def test_the_pause_doubles_from_the_fifth_failure_up_to_the_limit():
    assert [delay_after(n, POLICY).total_seconds() for n in range(5, 11)] == \
        [30, 60, 120, 240, 480, 900]
    assert delay_after(10_000, POLICY) == timedelta(seconds=900)


def test_a_pause_holds_until_its_end():
    until = NOW + timedelta(seconds=30)
    assert is_locked(until, NOW) and not is_locked(until, until) and not is_locked(None, NOW)


def test_password_rules():
    assert password_problems("short1", common=()) == ["too_short"]
    assert "one_kind" in password_problems("abcdefghijkl")
    assert "one_kind" in password_problems("123456789012")
    assert "contains_email" in password_problems("hanako-2026!", "hanako@example.jp")
    assert password_problems("correct-horse-42", "someone@example.jp") == []


def test_common_and_control_character_passwords_are_refused():
    assert "common" in password_problems("password12")
    assert "common" in password_problems("qwertyuiop")
    assert "common" in password_problems("Password2024!")  # trailing digits and symbols
    assert "control" in password_problems("\x00" * 9 + "1")
    assert "control" in password_problems("correct\u200bhorse-42")
    assert "too_short" in password_problems("a1b2c3d4e")  # 9 characters
