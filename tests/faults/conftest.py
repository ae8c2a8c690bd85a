"""Fixtures for the fault and several-server tests: an open programme and enrolled trainees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lms.assessment.sync import sync_quizzes
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.content.sync import sync_modules
from lms.extensions import db
from lms.security import Role
from tests.conftest import authoring_copy


@pytest.fixture(scope="session")
def programme_root(tmp_path_factory):
    """The small fixture programme with every gate open (these tests are about servers)."""
    root = authoring_copy(tmp_path_factory.mktemp("faults-programme"))
    (root / "program.yml").write_text("gates: {}\n", encoding="utf-8")
    return root


@pytest.fixture
def programme(app, programme_root):
    """That programme synced into the (freshly cleaned) test database."""
    root = programme_root
    app.config["CONTENT_DIR"] = str(root)
    with app.app_context():
        sync_modules(root)
        sync_quizzes(root.parent)
        db.session.commit()
    return root


@pytest.fixture
def enrolled(app, make_user, make_cohort, programme):
    """Factory: *n* trainees ``t{i}@example.jp`` in one cohort in its practice period."""

    def factory(n: int, capacity: int = 200) -> tuple[int, list[str]]:
        cid = make_cohort(date.today() - timedelta(days=70), name="負荷試験期", capacity=capacity)
        emails = [f"t{i}@example.jp" for i in range(n)]
        ids = [make_user(email, Role.TRAINEE) for email in emails]
        with app.app_context():
            cohort = db.session.get(Cohort, cid)
            for uid in ids:
                enrol(None, cohort, db.session.get(User, uid))
            db.session.commit()
        return cid, emails

    return factory
