"""Pure login rules, tested without an app."""

from datetime import UTC, datetime, timedelta

from lms.auth.rules import ThrottleState, after_failure, is_locked, password_problems

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def fail_n(n: int, state=None, now=NOW):
    state = state or ThrottleState(0, None)
    for _ in range(n):
        state = after_failure(state, now, max_failures=5, lock_minutes=15)
    return state


def test_four_failures_do_not_lock():
    state = fail_n(4)
    assert state.failures == 4 and not is_locked(state, NOW)


def test_fifth_failure_locks_for_the_configured_minutes():
    state = fail_n(5)
    assert is_locked(state, NOW)
    assert is_locked(state, NOW + timedelta(minutes=14, seconds=59))
    assert not is_locked(state, NOW + timedelta(minutes=15))


def test_after_an_expired_lock_the_count_starts_again():
    later = NOW + timedelta(minutes=16)
    state = after_failure(fail_n(5), later, 5, 15)
    assert state.failures == 1 and not is_locked(state, later)


def test_password_rules():
    assert password_problems("short1") == ["too_short"]
    assert "one_kind" in password_problems("abcdefghijkl")
    assert "one_kind" in password_problems("123456789012")
    assert "contains_email" in password_problems("hanako-2026!", "hanako@example.jp")
    assert password_problems("correct-horse-42", "someone@example.jp") == []
