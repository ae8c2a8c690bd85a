"""Committee review of certification-test items (§6(2)ア 監修・審査): approval lives in the
database per item version; only approved versions are drawn; nobody approves their own item."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.assessment import itemreview, services
from lms.assessment.models import ReviewStatus
from lms.assessment.quizcheck import load_quizzes
from lms.assessment.sync import sync_quizzes
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.security import Role
from lms.xapi.models import Statement
from lms.xapi.vocab import APPROVED
from tests.conftest import authoring_copy

FIXTURE = Path(__file__).parents[1] / "fixtures" / "authoring" / "quizzes" / "certification.yaml"


def load(tmp_path, text):
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "certification.yaml").write_text(text, encoding="utf-8")
    return load_quizzes(tmp_path)


def test_the_file_flag_approved_is_gone(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("answer: true}", "answer: true, "
                                                                        "approved: true}", 1)
    quizzes, problems = load(tmp_path, text)
    assert quizzes == []
    assert [str(p) for p in problems] == [
        "quizzes/certification.yaml:18: 'approved' is no longer set in quiz files: the "
        "committee approves each item version in the LMS"]


def test_a_certification_item_needs_an_author(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("author: author@example.jp\n", "")
    quizzes, problems = load(tmp_path, text)
    assert [str(p) for p in problems] == [
        "quizzes/certification.yaml:17: question 'fcert-q1' needs an author (the question's "
        "or the file's 'author')",
        "quizzes/certification.yaml:18: question 'fcert-q2' needs an author (the question's "
        "or the file's 'author')"]
    quizzes, problems = load_quizzes(FIXTURE.parents[1])
    certification = next(q for q in quizzes if q.id == "certification")
    assert certification.question("fcert-q1").author == "author@example.jp"


@pytest.fixture
def synced(app, tmp_path):
    root = authoring_copy(tmp_path)
    with app.app_context():
        sync_quizzes(root.parent)
        db.session.commit()
    return root.parent


def test_only_approved_versions_are_drawn_and_an_edit_needs_approval_again(
        app, synced, make_user):
    member = make_user("member@example.jp", Role.COMMITTEE)
    author = make_user("author@example.jp", Role.COMMITTEE, Role.INSTRUCTOR)
    trainee = make_user("t@example.jp", Role.TRAINEE)
    with app.app_context():
        quiz = services.quiz_by_slug("certification")
        assert {i.state for i in itemreview.reviewed_items()} == {"draft"}
        with pytest.raises(services.QuizError, match="items_not_approved"):
            services.start_attempt(db.session.get(User, trainee), quiz)
        first = itemreview.find_item("fcert-q1")
        with pytest.raises(itemreview.ReviewError, match="own_item"):
            itemreview.review(db.session.get(User, author), first, ReviewStatus.APPROVED, "")
        with pytest.raises(itemreview.ReviewError, match="comment_required"):
            itemreview.review(db.session.get(User, member), first,
                              ReviewStatus.CHANGES_REQUESTED, " ")
        itemreview.review(db.session.get(User, member), first,
                          ReviewStatus.CHANGES_REQUESTED, "選択肢を見直してください。")
        for item in itemreview.reviewed_items():
            itemreview.review(db.session.get(User, member), item, ReviewStatus.APPROVED, "")
        db.session.commit()
        assert {i.state for i in itemreview.reviewed_items()} == {"approved"}
        attempt = services.start_attempt(db.session.get(User, trainee), quiz)
        assert len(attempt.items) == 2
        approvals = db.session.scalar(sa.select(sa.func.count()).select_from(Statement).where(
            Statement.verb_id == APPROVED.id))
        assert approvals == 2
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "item.review")) == 3
        db.session.commit()

    path = synced / "quizzes" / "certification.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "相談者の主体性を尊重する。", "相談者の自己決定を尊重する。"), encoding="utf-8")
    with app.app_context():
        sync_quizzes(synced)
        db.session.commit()
        states = {i.question.id: i.state for i in itemreview.reviewed_items()}
        assert states == {"fcert-q1": "draft", "fcert-q2": "approved"}
        spec = itemreview.approved_only(services.rules_of(services.quiz_by_slug("certification")))
        assert [q.id for q in spec.pools[0].questions] == ["fcert-q2"]
        assert not itemreview.drawable(spec)
