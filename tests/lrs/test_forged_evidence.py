"""A partner with LRS write credentials cannot make a trainee ready for certification."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.booking import services as booking
from lms.booking.models import AttendanceStatus, CourseSession
from lms.certification import readiness, rules
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.lrs import clients
from lms.security import Role
from lms.xapi import activity_iri
from lms.xapi.models import Statement
from tests.conftest import csrf_token
from tests.factories import REQUIREMENTS, make_session, trainees


def _trainee_with_course2(app, make_cohort, make_user) -> tuple[int, str]:
    """A trainee whose course ② the LMS recorded as completed; returns (user id, registration)."""
    cohort_id = make_cohort(date.today() - timedelta(days=150))
    [uid] = trainees(app, make_user, cohort_id, 1)
    staff = make_user("staff@example.jp", Role.INSTRUCTOR)
    session_id = make_session(app, cohort_id, days=1)
    with app.app_context():
        trainee, marker = db.session.get(User, uid), db.session.get(User, staff)
        session = db.session.get(CourseSession, session_id)
        booking.book(trainee, session)
        booking.mark(marker, session.days[0], uid, AttendanceStatus.PRESENT,
                     today=session.days[0].day)
        registration = db.session.execute(sa.select(Enrolment.registration)).scalar_one()
        db.session.commit()
    return uid, registration


def _forge(app, lrs) -> tuple[str, list]:
    """The attack of issue #11: read the trainee's identity, post the eleven statements, and
    void the LMS's course ② completion. Returns the LMS statement's id and the answers."""
    found = lrs.get(verb=rules.COMPLETED).get_json()["statements"]
    real = next(s for s in found if s["object"]["id"].endswith("/stages/course2"))
    actor, registration = real["actor"], real["context"]["registration"]
    with app.app_context():
        forged = [{"actor": actor, "verb": {"id": r.verb},
                   "object": {"objectType": "Activity", "id": activity_iri(*r.activity.split("/"))},
                   "context": {"registration": registration}} for r in REQUIREMENTS]
    assert len(forged) == 11
    posted = lrs.post(forged)
    voiding = lrs.post({"actor": actor, "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                        "object": {"objectType": "StatementRef", "id": real["id"]}})
    return real["id"], [posted, voiding]


def test_forged_statements_do_not_make_a_trainee_ready_nor_void_the_lms_record(
        app, lrs, make_cohort, make_user):
    uid, registration = _trainee_with_course2(app, make_cohort, make_user)
    lms_id, (posted, voiding) = _forge(app, lrs)
    assert posted.status_code == 200  # stored: the LRS keeps what partners send
    assert voiding.status_code == 403 and voiding.is_json
    assert "only its own" in voiding.get_json()["error"]["message"]
    with app.app_context():
        items = readiness.readiness(db.session.get(User, uid), registration)
        assert not rules.ready(items)
        met = [e.requirement.key for e in items if e.met]
        assert met == ["stage:course2"]  # the LMS's own record, still valid
        # shown, not counted (the certification test's result is the committee's decision,
        # which no statement of the trainee's can stand for)
        assert all(len(e.uncounted) == (0 if e.requirement.committee else 1) for e in items)
        row = db.session.execute(sa.select(Statement).where(
            Statement.statement_id == lms_id)).scalar_one()
        assert not row.voided


def test_a_client_may_void_its_own_statement(lrs):
    from tests.lrs.conftest import statement

    mine = statement()
    assert lrs.post(mine).status_code == 200
    void = {"actor": mine["actor"], "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": mine["id"]}}
    assert lrs.post(void).status_code == 200
    assert lrs.get(voidedStatementId=mine["id"]).status_code == 200


def test_a_voiding_statement_sent_before_another_clients_statement_does_not_void_it(app, lrs):
    from tests.lrs.conftest import Lrs, make_client, statement

    make_client(app, key="other", secret="other-secret")
    other = Lrs(lrs.client, "other", "other-secret")
    target = statement()
    void = {"actor": target["actor"], "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": target["id"]}}
    assert lrs.post(void).status_code == 200  # the target is not stored yet
    assert other.post(target).status_code == 200
    assert lrs.get(statementId=target["id"]).status_code == 200  # still valid


def test_a_client_trusted_for_a_verb_and_activity_counts_for_that_only(
        app, lrs, make_cohort, make_user):
    uid, registration = _trainee_with_course2(app, make_cohort, make_user)
    _forge(app, lrs)
    with app.app_context():
        client = clients.by_key("tester")
        clients.set_trust(None, client, [rules.PASSED], [activity_iri("quizzes", "group-a")])
        db.session.commit()
        items = readiness.readiness(db.session.get(User, uid), registration)
        assert sorted(e.requirement.key for e in items if e.met) == ["quiz:group-a",
                                                                      "stage:course2"]
        event = db.session.execute(sa.select(AuditEvent).where(
            AuditEvent.action == "lrs_client.trust")).scalar_one()
        assert event.details["after"]["verbs"] == [rules.PASSED]


def test_the_key_lms_is_reserved(app):
    with app.app_context():
        try:
            clients.create(None, "impostor", key="lms")
        except clients.ClientError as exc:
            assert exc.code == "key_taken"
        else:
            raise AssertionError("the key lms was accepted")


def test_evidence_page_marks_partner_statements_not_counted(app, client, auth, lrs,
                                                           make_cohort, make_user):
    _trainee_with_course2(app, make_cohort, make_user)
    _forge(app, lrs)
    make_user("committee@example.jp", Role.COMMITTEE)
    auth.login("committee@example.jp")
    with app.app_context():
        enrolment_id = db.session.execute(sa.select(Enrolment.id)).scalar_one()
    page = client.get(f"/certification/readiness/{enrolment_id}")
    assert page.status_code == 200
    # every forged statement but the certification test's (decided by the committee)
    assert page.text.count("not counted") + page.text.count("不算入") >= 10


def test_admin_sets_trust_on_the_clients_page(app, client, auth, lrs, make_user):
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")
    page = client.get("/admin/xapi/clients")
    with app.app_context():
        client_id = clients.by_key("tester").id
    answer = client.post(f"/admin/xapi/clients/{client_id}/trust", data={
        "csrf_token": csrf_token(page.text), f"t{client_id}-verbs": rules.PASSED,
        f"t{client_id}-activities": "https://lms.example/xapi/activities/quizzes/group-a\n"})
    assert answer.status_code == 302
    with app.app_context():
        saved = clients.by_key("tester")
        assert saved.trusts(rules.PASSED, "https://lms.example/xapi/activities/quizzes/group-a")
        assert not saved.trusts(rules.COMPLETED,
                                "https://lms.example/xapi/activities/quizzes/group-a")
