"""Practice-stage fixtures."""

from datetime import date, timedelta

import pytest

from lms.assessment.sync import sync_quizzes
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.content.sync import sync_modules
from lms.demo import sit_quiz
from lms.extensions import db
from lms.security import Role
from tests.conftest import authoring_copy


@pytest.fixture
def practice_trainee(app, tmp_path, make_user, make_cohort, auth):
    """A trainee who has passed the comprehensive test, so the practice stage is open."""
    root = authoring_copy(tmp_path)
    app.config["CONTENT_DIR"] = str(root)
    uid = make_user("p@example.jp", Role.TRAINEE)
    cid = make_cohort(date.today() - timedelta(days=70))
    with app.app_context():
        sync_modules(root)
        sync_quizzes(root.parent)
        user = db.session.get(User, uid)
        enrol(None, db.session.get(Cohort, cid), user)
        sit_quiz(user, "comprehensive", passing=True)
        db.session.commit()
    auth.login("p@example.jp")
    return uid
