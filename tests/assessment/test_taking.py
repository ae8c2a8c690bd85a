"""Taking tests through the app: gating, saved answers, time limits, grading once, review."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.assessment import services
from lms.assessment.models import AttemptStatus, Quiz, QuizAttempt, QuizOverride
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.security import Role
from lms.timeutil import utcnow
from lms.xapi.models import Statement
from tests.conftest import text_of
from tests.factories import watch_group


def key_answer(item_question: dict, presentation: list):
    kind = item_question["type"]
    if kind == "single":
        return next(o["id"] for o in item_question["options"] if o.get("correct"))
    if kind == "true_false":
        return item_question["answer"]
    if kind == "short_text":
        return item_question["accepted"][0]
    if kind == "ordering":  # shown positions in the correct order
        return [presentation.index(i) for i in range(len(item_question["items"]))]
    raise AssertionError(kind)


def attempt_items(app, attempt_id):
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        return [(i.question_id, i.question, i.presentation) for i in attempt.items]


def start(client, slug) -> int:
    response = client.post(f"/quizzes/{slug}/start")
    assert response.status_code == 302, response.text
    return int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))


def answer_all(client, app, attempt_id, right=True):
    for qid, question, presentation in attempt_items(app, attempt_id):
        response = key_answer(question, presentation) if right else None
        if not right and question["type"] == "true_false":
            response = not question["answer"]
        saved = client.post(f"/attempts/{attempt_id}/answers",
                            json={"question_id": qid, "response": response})
        assert saved.status_code == 200


def test_group_test_is_locked_until_its_lectures_are_watched(app, client, trainee):
    page = client.get("/quizzes/group-a")
    assert page.status_code == 403
    assert "グループAの講義をすべて視聴すると受験できます" in text_of(page.text)
    assert client.post("/quizzes/group-a/start").status_code == 403
    watch_group(client, app, trainee, "a01-short")
    assert client.get("/quizzes/group-a").status_code == 200
    assert client.get("/quizzes/group-b").status_code == 403
    assert client.get("/quizzes/comprehensive").status_code == 403


def test_answers_survive_and_the_same_attempt_resumes(app, client, trainee):
    watch_group(client, app, trainee, "a01-short")
    attempt_id = start(client, "group-a")
    qid, question, presentation = attempt_items(app, attempt_id)[0]
    client.post(f"/attempts/{attempt_id}/answers",
                json={"question_id": qid, "response": key_answer(question, presentation)})
    # "another device": a new start resumes the same attempt with the same order
    assert start(client, "group-a") == attempt_id
    assert attempt_items(app, attempt_id)[0][0] == qid
    page = client.get(f"/attempts/{attempt_id}").text
    assert "checked" in page or 'value="' in page


def test_the_answer_key_never_reaches_the_browser(app, client, trainee):
    watch_group(client, app, trainee, "a01-short")
    attempt_id = start(client, "group-a")
    page = client.get(f"/attempts/{attempt_id}").text
    assert "correct" not in page.lower().replace("correct-", "")
    assert "正解は" not in page  # explanations stay hidden while the attempt is open


def test_fail_then_cooldown_then_pass(app, client, trainee):
    watch_group(client, app, trainee, "a01-short")
    first = start(client, "group-a")
    answer_all(client, app, first, right=False)
    client.post(f"/attempts/{first}/submit")
    result = text_of(client.get(f"/attempts/{first}/result").text)
    assert "不合格" in result
    refused = client.post("/quizzes/group-a/start", follow_redirects=True)
    assert "待ち時間" in text_of(refused.text)
    with app.app_context():
        attempt = db.session.get(QuizAttempt, first)
        attempt.finished_at = utcnow() - timedelta(minutes=2)
        db.session.commit()
    second = start(client, "group-a")
    assert second != first
    answer_all(client, app, second, right=True)
    client.post(f"/attempts/{second}/submit")
    page = text_of(client.get(f"/attempts/{second}/result").text)
    assert "合格" in page and "正解" in page  # review policy: correct answers shown
    with app.app_context():
        verbs = db.session.execute(sa.select(Statement.verb_id)).scalars().all()
    assert verbs.count("http://adlnet.gov/expapi/verbs/failed") == 1
    assert verbs.count("http://adlnet.gov/expapi/verbs/passed") == 1
    assert verbs.count("http://adlnet.gov/expapi/verbs/attempted") == 2


def test_submitting_twice_grades_once(app, client, trainee):
    watch_group(client, app, trainee, "a01-short")
    attempt_id = start(client, "group-a")
    answer_all(client, app, attempt_id)
    client.post(f"/attempts/{attempt_id}/submit")
    client.post(f"/attempts/{attempt_id}/submit")
    with app.app_context():
        graded = db.session.execute(sa.select(sa.func.count()).select_from(Statement).where(
            Statement.verb_id.in_(["http://adlnet.gov/expapi/verbs/passed",
                                   "http://adlnet.gov/expapi/verbs/failed"]))).scalar()
    assert graded == 1


def test_time_limit_is_enforced_on_the_server(app, client, trainee):
    with app.app_context():
        user = db.session.get(User, trainee)
        quiz = services.quiz_by_slug("comprehensive")
        # bypass gating for the service-level check: the comprehensive test has 1 minute
        attempt = services.start_attempt(user, quiz)
        item = attempt.items[0]
        services.save_answer(user, attempt, item.question_id, "在留カード")
        attempt.deadline_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        with pytest.raises(services.QuizError, match="closed"):
            services.save_answer(user, attempt, attempt.items[1].question_id, [0, 1, 2, 3])
        db.session.commit()
        db.session.refresh(attempt)
        assert attempt.status == AttemptStatus.EXPIRED
        assert attempt.items[0].response == "在留カード"
        assert attempt.score is not None


def test_full_width_input_matches(app, client, trainee):
    with app.app_context():
        user = db.session.get(User, trainee)
        attempt = services.start_attempt(user, services.quiz_by_slug("comprehensive"))
        short = next(i for i in attempt.items if i.question["type"] == "short_text")
        services.save_answer(user, attempt, short.question_id, " 在留カード ")
        services.finish(attempt)
        db.session.commit()
        assert short.correct is True


def test_withdrawn_trainee_cannot_reach_tests(app, client, trainee):
    watch_group(client, app, trainee, "a01-short")
    with app.app_context():
        db.session.execute(sa.update(Enrolment).values(status=EnrolmentStatus.WITHDRAWN))
        db.session.commit()
    page = client.get("/quizzes/group-a")
    assert page.status_code == 403 and "辞退" in text_of(page.text)


def test_other_trainees_attempt_is_invisible(app, client, trainee, make_user, auth):
    watch_group(client, app, trainee, "a01-short")
    attempt_id = start(client, "group-a")
    auth.logout()
    make_user("other@example.jp", Role.TRAINEE)
    auth.login("other@example.jp")
    assert client.get(f"/attempts/{attempt_id}").status_code == 404
    assert client.get(f"/attempts/{attempt_id}/result").status_code == 404
    assert client.post(f"/attempts/{attempt_id}/answers",
                       json={"question_id": "fa-q1", "response": "a"}).status_code == 404


def test_override_grants_an_extra_attempt_and_is_audited(app, client, make_user, auth, course):
    make_user("i@example.jp", Role.INSTRUCTOR)
    uid = make_user("t2@example.jp", Role.TRAINEE)
    auth.login("i@example.jp")
    response = client.post("/staff/quizzes/comprehensive", data={
        "email": "t2@example.jp", "extra_attempts": "1", "extra_minutes": "10",
        "reason": "通信障害のため"}, follow_redirects=True)
    assert "付与しました" in text_of(response.text)
    with app.app_context():
        override = db.session.execute(sa.select(QuizOverride)).scalar_one()
        assert (override.user_id, override.extra_attempts, override.extra_minutes) == (uid, 1, 10)
        state = services.allowance(db.session.get(User, uid),
                                   db.session.execute(sa.select(Quiz).filter_by(
                                       slug="comprehensive")).unique().scalar_one())
        assert state.allowed == 3 and state.time_limit_minutes == 11
        assert db.session.execute(sa.select(AuditEvent).filter_by(
            action="quiz.override")).scalar_one()


def test_staff_see_results_and_item_analysis(app, client, trainee, make_user, auth):
    watch_group(client, app, trainee, "a01-short")
    attempt_id = start(client, "group-a")
    answer_all(client, app, attempt_id)
    client.post(f"/attempts/{attempt_id}/submit")
    auth.logout()
    make_user("i@example.jp", Role.INSTRUCTOR)
    auth.login("i@example.jp")
    page = text_of(client.get("/staff/quizzes/group-a").text)
    assert "項目分析" in page and "fa-q1" in page


def test_statements_carry_interactions_success_duration_and_where_they_belong(
        app, client, trainee):
    """answered: the question as an interaction with its correct responses, and success;
    passed: a duration; both: the subject group as parent, programme and cohort as grouping."""
    watch_group(client, app, trainee, "a01-short")
    attempt_id = start(client, "group-a")
    answer_all(client, app, attempt_id)
    client.post(f"/attempts/{attempt_id}/submit")
    with app.app_context():
        rows = db.session.execute(sa.select(Statement).order_by(Statement.seq)).scalars().all()
        enrolment = db.session.execute(sa.select(Enrolment)).scalar_one()
        answered = [r.payload for r in rows if r.verb_id.endswith("/answered")]
        passed = next(r.payload for r in rows if r.verb_id.endswith("/passed"))
    kinds = {"single": "choice", "multiple": "choice", "true_false": "true-false",
             "short_text": "fill-in", "ordering": "sequencing"}
    questions = {qid: q for qid, q, _ in attempt_items(app, attempt_id)}
    assert answered
    for statement in answered:
        definition = statement["object"]["definition"]
        question = questions[statement["object"]["id"].rsplit("/", 1)[-1]]
        assert definition["interactionType"] == kinds[question["type"]]
        assert definition["correctResponsesPattern"]
        assert statement["result"]["success"] is True
        assert statement["result"]["response"] in definition["correctResponsesPattern"]
        assert set(definition["name"]) == {"ja-JP", "en-US"}
        parents = statement["context"]["contextActivities"]["parent"]
        assert parents[0]["id"] == "http://lms.test/xapi/activities/quizzes/group-a"
    assert passed["result"]["duration"].startswith("PT")
    assert passed["context"]["registration"] == enrolment.registration
    activities = passed["context"]["contextActivities"]
    assert activities["parent"][0]["id"] == "http://lms.test/xapi/activities/groups/A"
    assert {a["id"] for a in activities["grouping"]} == {
        "http://lms.test/xapi/activities/programme",
        f"http://lms.test/xapi/activities/cohorts/{enrolment.cohort_id}"}
