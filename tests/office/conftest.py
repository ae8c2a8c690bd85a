"""Fixtures of the office tests."""

from __future__ import annotations

import pytest


# from tests/office/test_pages.py
@pytest.fixture
def demo(app, runner, client, auth):
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    assert "seeded" in runner.invoke(args=["lms", "demo"]).output
    auth.login("admin@demo.example", "demo-pass-2026")
    return client
