"""Renewal training: the renewal test opens in the window; passing it renews; after expiry the
test is closed and the holder is told a new certification is needed."""

from datetime import date, datetime, timedelta
from unittest import mock

import pytest

from lms.assessment.models import QuizAttempt
from lms.assessment.services import finish, quiz_by_slug, save_answer, start_attempt
from lms.assessment.sync import sync_quizzes
from lms.auth.models import User
from lms.certificates import services
from lms.certificates.models import IssueKind
from lms.certification.models import CertificationDecision
from lms.demo import key_response
from lms.extensions import db
from lms.progression import lock_for, stage_path
from lms.security import Role
from lms.timeutil import TOKYO
from lms.timeutil import today_tokyo as real_today
from tests.conftest import text_of

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.fixture
def holder(app, certified, make_user):
    user_id, decision_id = certified("更新 太郎", date(2025, 3, 28), email="h@example.jp")
    admin_id = make_user(None, Role.ADMIN)
    with app.app_context():
        sync_quizzes(ROOT)
        services.issue(db.session.get(User, admin_id),
                       db.session.get(CertificationDecision, decision_id), date(2025, 4, 2))
        db.session.commit()
    return user_id


def _at(day: date):
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=TOKYO)
    def today(now=None):  # "today" is *day*; the date of a given moment stays real
        return day if now is None else real_today(now)

    return mock.patch("lms.certificates.programme.today_tokyo", today), moment


def _pass_renewal(user: User, started: datetime, finished: datetime | None = None
                  ) -> QuizAttempt:
    attempt = start_attempt(user, quiz_by_slug("renewal"), now=started)
    for item in attempt.items:
        save_answer(user, attempt, item.question_id, key_response(item.question), now=started)
    finish(attempt, now=finished or started)
    return attempt


def test_renewal_opens_in_the_window_and_passing_renews(app, holder):
    with app.app_context():
        user = db.session.get(User, holder)
        patch, _ = _at(date(2027, 9, 1))
        with patch:
            assert not lock_for(user, "quiz:renewal").open
            assert all(s.unit != "quiz:renewal" for s in stage_path(user))
        patch, moment = _at(date(2028, 1, 10))
        with patch:
            assert lock_for(user, "quiz:renewal").open
            attempt = _pass_renewal(user, moment)
            assert attempt.passed
        db.session.commit()
        current = services.current_certificate(holder)
        assert current.kind == IssueKind.RENEWAL
        assert current.valid_until == date(2031, 3, 31)
        assert current.issued_on == date(2028, 1, 10)


def test_after_expiry_the_test_is_closed_and_the_holder_told(app, client, auth, holder):
    with app.app_context():
        user = db.session.get(User, holder)
        patch, _ = _at(date(2028, 4, 1))
        with patch:
            lock = lock_for(user, "quiz:renewal")
            assert not lock.open
    with mock.patch("lms.certificates.programme.today_tokyo", lambda *a: date(2028, 4, 1)), \
            mock.patch("lms.certificates.views.today_tokyo", lambda *a: date(2028, 4, 1)):
        auth.login("h@example.jp")
        page = text_of(client.get("/quizzes/renewal").text)
        assert "新たに認定" in page or "改めて認定" in page
        mine = text_of(client.get("/certificates/mine").text)
        assert "改めて認定を受ける必要があります" in mine


def test_a_late_pass_is_refused(app, holder):
    with app.app_context():
        user = db.session.get(User, holder)
        patch, moment = _at(date(2028, 3, 31))
        with patch:
            attempt = _pass_renewal(user, moment, moment + timedelta(minutes=20, days=1))
        assert attempt.passed
        db.session.commit()
        assert services.current_certificate(holder).kind == IssueKind.FIRST
