"""Fixtures of the office tests."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLE_AND_DEMO, sample_and_demo, seeded


# from tests/office/test_pages.py
@pytest.fixture
def demo(app, runner, client, auth):
    seeded(app, SAMPLE_AND_DEMO, lambda: sample_and_demo(runner))
    auth.login("admin@demo.example", "demo-pass-2026")
    return client
