"""Certification test on paper: scores entered by an administrator, held to the online test's
conditions and graded by the same pass rule."""

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.assessment import paper
from lms.assessment.models import QuizAttempt, QuizOverride
from lms.assessment.services import quiz_by_slug
from lms.assessment.sync import sync_quizzes
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.booking import services as booking
from lms.booking.models import AttendanceStatus, CourseSession
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.progression import registry
from lms.security import Role
from lms.xapi.models import Statement
from lms.xapi.vocab import SCORED
from tests.conftest import authoring_copy
from tests.factories import make_session, trainees


@pytest.fixture
def setting(app, tmp_path, make_user, make_cohort, monkeypatch):
    """A session with trainees a, b (booked, attendance complete), c (booked, one day
    missing) and d (enrolled, not booked); practice counted as complete for everyone."""
    monkeypatch.setitem(registry._STAGES, "practice", registry.Stage(
        "practice", ("stage:practice",), lambda users: {u.id: {"stage:practice"} for u in users}))
    root = authoring_copy(tmp_path)
    cohort = make_cohort(date.today() - timedelta(days=150))
    admin = make_user("admin@example.jp", Role.ADMIN)
    staff = make_user("staff@example.jp", Role.INSTRUCTOR)
    ids = trainees(app, make_user, cohort, 4)
    sid = make_session(app, cohort, capacity=10, days=2)
    with app.app_context():
        sync_quizzes(root.parent)
        session = db.session.get(CourseSession, sid)
        marker = db.session.get(User, staff)
        for uid in ids[:3]:
            booking.book(db.session.get(User, uid), session)
        for uid in ids[:2]:
            for day in session.days:
                booking.mark(marker, day, uid, AttendanceStatus.PRESENT, today=day.day)
        booking.mark(marker, session.days[0], ids[2], AttendanceStatus.PRESENT,
                     today=session.days[0].day)
        db.session.commit()
        emails = [db.session.get(User, uid).email for uid in ids]
    return {"admin": admin, "session": sid, "emails": emails, "ids": ids}


def _record(app, s, text):
    with app.app_context():
        actor = db.session.get(User, s["admin"])
        session = db.session.get(CourseSession, s["session"])
        try:
            return paper.record_csv(actor, quiz_by_slug("certification"), session, text)
        except paper.PaperRefused:
            db.session.rollback()
            raise
        finally:
            db.session.commit()


def _attempts(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt))


def test_csv_is_all_or_nothing_and_uses_the_pass_rule(app, setting):
    a, b, *_ = setting["emails"]
    with pytest.raises(paper.PaperRefused) as refused:
        _record(app, setting, f"email,score\n{a},2\n{b},5\n")
    assert [p.line for p in refused.value.problems] == [3]
    assert _attempts(app) == 0
    assert _record(app, setting, f"{a},1.5\n{b},1\n") == 2
    with app.app_context():
        results = {email: (proposed, passed) for email, proposed, passed in db.session.execute(
            sa.select(User.email, QuizAttempt.proposed, QuizAttempt.passed).join(
                QuizAttempt, QuizAttempt.user_id == User.id)).all()}
        # 75 % vs 50 %, pass 60 %: proposals only; the committee decides the pass (§6(2)ア)
        assert results == {a: (True, None), b: (False, None)}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "quiz.paper_score")) == 2
        verbs = db.session.execute(sa.select(Statement.verb_id)).scalars().all()
        assert verbs.count(SCORED.id) == 2  # scored, never passed/failed before the decision
        assert "http://adlnet.gov/expapi/verbs/passed" not in verbs


def test_every_refused_line_is_named_and_nothing_is_recorded(app, setting, make_user):
    a, _b, c, d = setting["emails"]
    outsider = make_user("outsider@example.jp", Role.TRAINEE)  # booked nowhere, not enrolled
    assert outsider
    text = (f"{a},2\n{c},2\n{d},2\noutsider@example.jp,2\nnobody@example.jp,1\n"
            f"{a},x\n{a}\n")
    with pytest.raises(paper.PaperRefused) as refused:
        _record(app, setting, text)
    problems = {p.line: str(p) for p in refused.value.problems}
    assert sorted(problems) == [2, 3, 4, 5, 6, 7]
    assert c in problems[2]  # attendance incomplete
    assert d in problems[3] and "outsider@example.jp" in problems[4]  # not booked here
    assert "nobody@example.jp" in problems[5]
    assert _attempts(app) == 0


def test_withdrawn_and_attempt_limit_refuse_as_online(app, setting):
    a, b, *_ = setting["emails"]
    assert _record(app, setting, f"{a},0\n") == 1  # the fixture's test allows one attempt
    with app.app_context():
        enrolment = db.session.execute(sa.select(Enrolment).filter_by(
            user_id=setting["ids"][1])).scalar_one()
        enrolment.status = EnrolmentStatus.WITHDRAWN
        db.session.commit()
    with pytest.raises(paper.PaperRefused) as refused:
        _record(app, setting, f"{b},2\n")
    assert b in str(refused.value)
    with pytest.raises(paper.PaperRefused):  # attempts used up
        _record(app, setting, f"{a},2\n")
    with app.app_context():
        quiz = quiz_by_slug("certification")
        db.session.add(QuizOverride(user_id=setting["ids"][0], quiz_id=quiz.id,
                                    extra_attempts=1, extra_minutes=0, reason="病欠",
                                    granted_by_id=setting["admin"]))
        db.session.commit()
    assert _record(app, setting, f"{a},2\n") == 1
    with pytest.raises(paper.PaperRefused):  # the extra attempt is used up too
        _record(app, setting, f"{a},2\n")


def test_the_page_lists_each_refused_line(app, client, auth, setting):
    a, _b, c, _d = setting["emails"]
    auth.login("admin@example.jp")
    url = f"/staff/sessions/{setting['session']}/scores"
    page = client.post(url, data={"csv": (
        io.BytesIO(f"{a},2\n{c},2\n".encode()), "scores.csv")}, follow_redirects=True)
    assert "記録していません" in page.text and c in page.text
    assert _attempts(app) == 0
