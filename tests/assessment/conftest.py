"""Fixtures of the assessment tests."""

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


# from tests/assessment/test_taking.py
@pytest.fixture
def course(app, tmp_path):
    root = authoring_copy(tmp_path)
    app.config["CONTENT_DIR"] = str(root)
    with app.app_context():
        sync_modules(root)
        assert sync_quizzes(root.parent).problems == []
        db.session.commit()
    return root


# from tests/assessment/test_taking.py
@pytest.fixture
def trainee(app, make_user, make_cohort, auth, course):
    uid = make_user("t@example.jp", Role.TRAINEE)
    cid = make_cohort(date.today() - timedelta(days=10))
    with app.app_context():
        enrol(None, db.session.get(Cohort, cid), db.session.get(User, uid))
        db.session.commit()
    auth.login("t@example.jp")
    return uid
