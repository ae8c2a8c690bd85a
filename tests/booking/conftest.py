"""Fixtures of the booking tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest


# from tests/booking/test_booking.py
@pytest.fixture
def cohort(app, make_cohort):
    return make_cohort(date.today() - timedelta(days=150))
