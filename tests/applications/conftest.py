"""Fixtures: a cohort taking applications, an applicant logged in with a draft, evidence files."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.timeutil import today_tokyo

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def open_cohort(app, make_cohort):
    """A cohort whose training starts in 40 days, taking applications since 10 days ago."""
    today = today_tokyo()
    cid = make_cohort(today + timedelta(days=40), name="第9期", capacity=2)
    with app.app_context():
        cohort = db.session.get(Cohort, cid)
        cohort.applications_open = today - timedelta(days=10)
        cohort.applications_close = today + timedelta(days=10)
        db.session.commit()
    return cid
