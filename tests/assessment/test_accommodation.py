"""Extra time on timed tests (WCAG 2.2.1): the rule, the audited grant, the start page."""

import pytest
import sqlalchemy as sa

from lms.assessment import rules, services
from lms.assessment.models import TimeAccommodation
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.security import Role
from tests.conftest import text_of
from tests.factories import watch_group


@pytest.mark.parametrize(("base", "extra_minutes", "percent", "expected"), [
    (None, 10, 50, None),  # no limit stays no limit
    (30, 0, 0, 30),
    (30, 0, 50, 45),
    (1, 0, 50, 2),  # rounded up to a whole minute
    (20, 10, 100, 50),  # the override's minutes are added after the percentage
])
def test_time_limit_rule(base, extra_minutes, percent, expected):
    assert rules.time_limit(base, extra_minutes, percent) == expected


def timed_group_a(app, client, uid, minutes=20) -> None:
    """Give the fixture's first group test a time limit and unlock it for *uid*."""
    with app.app_context():
        quiz = services.quiz_by_slug("group-a")
        quiz.definition = {**quiz.definition, "time_limit_minutes": minutes}
        db.session.commit()
    watch_group(client, app, uid, "a01-short")


def test_start_page_says_how_to_ask_for_extra_time(app, client, trainee):  # noqa: F811
    timed_group_a(app, client, trainee)
    page = text_of(client.get("/quizzes/group-a").text)
    assert "20分" in page and "事務局にお申し出ください" in page


def test_administrator_grants_changes_and_withdraws_extra_time(app, client, make_user, auth,
                                                                trainee):  # noqa: F811
    make_user("admin@example.jp", Role.ADMIN)
    auth.logout()
    auth.login("admin@example.jp")
    url = f"/admin/users/{trainee}/time-accommodation"
    assert "時間延長" in text_of(client.get(url).text)

    refused = client.post(url, data={"extra_percent": "50", "reason": ""})
    assert "時間延長の理由を入力してください。" in text_of(refused.text)
    assert 'aria-invalid="true"' in refused.text
    too_much = client.post(url, data={"extra_percent": "400", "reason": "x"})
    assert "0から300まで" in text_of(too_much.text)

    saved = client.post(url, data={"extra_percent": "50", "reason": "視覚障害（拡大表示）"},
                        follow_redirects=True)
    assert "時間延長を保存しました" in text_of(saved.text)
    client.post(url, data={"extra_percent": "100", "reason": "拡大表示と音声読み上げ"})
    with app.app_context():
        user = db.session.get(User, trainee)
        quiz = services.quiz_by_slug("comprehensive")  # 1 minute on its own
        assert services.time_accommodation(user).extra_percent == 100
        state = services.allowance(user, quiz)
        assert (state.time_limit_minutes, state.extra_percent) == (2, 100)
        attempt = services.start_attempt(user, quiz)
        assert (attempt.deadline_at - attempt.started_at).total_seconds() == 120
        db.session.commit()

    client.post(url, data={"extra_percent": "0", "reason": ""})
    with app.app_context():
        assert db.session.execute(sa.select(TimeAccommodation)).first() is None
        events = db.session.execute(sa.select(AuditEvent).filter_by(
            action="quiz.time_accommodation").order_by(AuditEvent.id)).scalars().all()
        assert [(e.details["before"], e.details["extra_percent"]) for e in events] == [
            (0, 50), (50, 100), (100, 0)]
        assert events[0].target_type == "User" and events[0].target_id == str(trainee)


def test_start_page_shows_the_granted_extra_time(app, client, trainee):  # noqa: F811
    timed_group_a(app, client, trainee)
    with app.app_context():
        user = db.session.get(User, trainee)
        services.set_time_accommodation(user, user, 50, "テスト")
        db.session.commit()
    page = text_of(client.get("/quizzes/group-a").text)
    assert "時間延長（+50%）" in page and "30分" in page


def test_only_administrators_grant_extra_time(app, client, trainee):  # noqa: F811
    assert client.get(f"/admin/users/{trainee}/time-accommodation").status_code == 403
