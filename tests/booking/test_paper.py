"""Certification test on paper: scores entered by an administrator, same pass rule."""

import sqlalchemy as sa

from lms.assessment import paper
from lms.assessment.models import QuizAttempt
from lms.assessment.services import quiz_by_slug
from lms.assessment.sync import sync_quizzes
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.security import Role
from lms.xapi.models import Statement
from tests.conftest import authoring_copy


def test_csv_is_all_or_nothing_and_uses_the_pass_rule(app, tmp_path, make_user):
    root = authoring_copy(tmp_path)
    admin = make_user("admin@example.jp", Role.ADMIN)
    make_user("a@example.jp", Role.TRAINEE)
    make_user("b@example.jp", Role.TRAINEE)
    with app.app_context():
        sync_quizzes(root.parent)
        db.session.commit()
        quiz = quiz_by_slug("certification")
        actor = db.session.get(User, admin)
        assert paper.possible_points(quiz) == 2
        try:
            paper.record_csv(actor, quiz, "email,score\na@example.jp,2\nb@example.jp,5\n")
        except paper.PaperError as exc:
            assert exc.line == 3 and "outside" in str(exc)
            db.session.rollback()
        else:
            raise AssertionError("a score above the maximum was accepted")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 0
        assert paper.record_csv(actor, quiz, "a@example.jp,1.5\nb@example.jp,1\n") == 2
        db.session.commit()
        results = {email: (proposed, passed) for email, proposed, passed in db.session.execute(
            sa.select(User.email, QuizAttempt.proposed, QuizAttempt.passed).join(
                QuizAttempt, QuizAttempt.user_id == User.id)).all()}
        # 75 % vs 50 %, pass 60 %: proposals only; the committee decides the pass (§6(2)ア)
        assert results == {"a@example.jp": (True, None), "b@example.jp": (False, None)}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "quiz.paper_score")) == 2
        verbs = db.session.execute(sa.select(Statement.verb_id)).scalars().all()
        assert verbs.count("http://adlnet.gov/expapi/verbs/scored") == 2
        assert "http://adlnet.gov/expapi/verbs/passed" not in verbs


def test_unknown_email_names_the_line(app, tmp_path, make_user):
    root = authoring_copy(tmp_path)
    admin = make_user("admin@example.jp", Role.ADMIN)
    with app.app_context():
        sync_quizzes(root.parent)
        try:
            paper.record_csv(db.session.get(User, admin), quiz_by_slug("certification"),
                             "nobody@example.jp,1\n")
        except paper.PaperError as exc:
            assert exc.line == 1 and "nobody@example.jp" in str(exc)
        else:
            raise AssertionError("an unknown trainee was accepted")
