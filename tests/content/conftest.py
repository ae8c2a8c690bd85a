"""Fixtures of the lecture tests: a synced two-module course and an enrolled trainee."""

from datetime import date, timedelta

import pytest

from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.content.sync import sync_modules
from lms.extensions import db
from lms.security import Role
from tests.conftest import authoring_copy


@pytest.fixture
def course(app, tmp_path):
    """A copy of the two-module fixture course, synced, as the app's content folder."""
    root = authoring_copy(tmp_path)
    app.config["CONTENT_DIR"] = str(root)
    with app.app_context():
        result = sync_modules(root)
        assert result.problems == [] and sorted(result.added) == ["a01-short", "b01-short"]
        db.session.commit()
    return root


@pytest.fixture
def trainee(app, make_user, make_cohort, auth):
    uid = make_user("t@example.jp", Role.TRAINEE)
    cid = make_cohort(date.today() - timedelta(days=10))
    with app.app_context():
        enrol(None, db.session.get(Cohort, cid), db.session.get(User, uid))
        db.session.commit()
    auth.login("t@example.jp")
    return uid
