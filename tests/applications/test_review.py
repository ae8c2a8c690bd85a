"""The office's review: filters, accept (enrols, within capacity), reject, return and lapse."""

from __future__ import annotations

import json
from datetime import date, timedelta

import sqlalchemy as sa

from lms.applications import review
from lms.applications.models import Application, ApplicationStatus, DecisionKind
from lms.applications.services import application_for, submit
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.mail.models import OutgoingMail
from lms.security import Role
from lms.timeutil import today_tokyo
from lms.xapi import vocab
from lms.xapi.models import Statement
from tests.conftest import text_of


def make_application(app, make_user, cohort_id, email, *, eligible=True, evidence=True,
                     status=ApplicationStatus.SUBMITTED):
    """An applicant (no role) with a complete application; eligible by experience or not."""
    from lms.applications.models import EvidenceFile, ExperiencePeriod

    uid = make_user(email, Role.TRAINEE)
    with app.app_context():
        user = db.session.get(User, uid)
        user.set_roles(set())
        cohort = db.session.get(Cohort, cohort_id)
        row = application_for(user, cohort, today_tokyo())
        row.full_name, row.furigana, row.organisation = "申込 花子", "モウシコミ　ハナコ", "横浜市"
        row.prefecture, row.post_desk, row.post_role = "神奈川県", "1-1", "handles"
        file = EvidenceFile(application_id=row.id, original_name="a.pdf", stored_path="x/a.pdf",
                            content_type="application/pdf", size=10) if evidence else None
        row.periods.append(ExperiencePeriod(
            desk="2-2", organisation="横浜市国際交流協会", start_on=date(2023, 1, 1),
            ongoing=True, days_worked=300 if eligible else 100, evidence=file))
        db.session.flush()
        if status != ApplicationStatus.DRAFT:
            submit(row, today_tokyo())
        db.session.commit()
        return row.id


def test_filters_sort_applications_for_the_office(app, client, auth, make_user, open_cohort):
    make_application(app, make_user, open_cohort, "a@example.jp")
    make_application(app, make_user, open_cohort, "b@example.jp", eligible=False)
    make_application(app, make_user, open_cohort, "c@example.jp", evidence=False)
    make_application(app, make_user, open_cohort, "d@example.jp",
                     status=ApplicationStatus.DRAFT)
    with app.app_context():
        counts = review.counts(db.session.get(Cohort, open_cohort))
    assert counts == {"undecided": 3, "eligible": 2, "not_eligible": 1, "evidence_missing": 1,
                      "returned": 0, "decided": 0, "all": 3}
    make_user("office@example.jp", Role.ADMIN)
    auth.login("office@example.jp")
    page = text_of(client.get(f"/admin/applications/cohorts/{open_cohort}?filter=not_eligible")
                   .text)
    assert "要件不充足" in page and page.count("申込 花子") == 1


def test_accepting_enrols_the_applicant_as_a_trainee(app, client, auth, make_user, open_cohort):
    application_id = make_application(app, make_user, open_cohort, "a@example.jp")
    admin_id = make_user("office@example.jp", Role.ADMIN)
    auth.login("office@example.jp")
    detail = text_of(client.get(f"/admin/applications/{application_id}").text)
    assert "在職期間" in detail and "a.pdf" in detail
    response = client.post(f"/admin/applications/{application_id}/decide",
                           data={"decision": "accept"})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(Application, application_id)
        assert row.status == ApplicationStatus.ACCEPTED
        assert row.user.has_role(Role.TRAINEE)
        assert db.session.scalar(sa.select(Enrolment).filter_by(user_id=row.user_id,
                                                                cohort_id=open_cohort))
        decision = row.decisions[-1]
        assert decision.kind == DecisionKind.ACCEPTED and decision.rules_version
        assert db.session.scalar(sa.select(AuditEvent).filter_by(action="application.accepted"))
        latest = sa.select(OutgoingMail.subject).order_by(OutgoingMail.id.desc()).limit(1)
        assert "受理しました" in db.session.scalar(latest)
        admin = db.session.get(User, admin_id)
        accepted = db.session.scalars(sa.select(Statement.payload).where(
            Statement.verb_id == "http://activitystrea.ms/schema/1.0/accept")).one()
        assert accepted["actor"]["account"]["name"] == admin.public_id


def test_accepting_beyond_capacity_is_refused_until_it_is_raised(app, client, auth, make_user,
                                                                 open_cohort):
    ids = [make_application(app, make_user, open_cohort, f"p{n}@example.jp") for n in range(3)]
    make_user("office@example.jp", Role.ADMIN)
    auth.login("office@example.jp")
    for application_id in ids[:2]:
        client.post(f"/admin/applications/{application_id}/decide", data={"decision": "accept"})
    refused = client.post(f"/admin/applications/{ids[2]}/decide", data={"decision": "accept"})
    assert refused.status_code == 409 and "定員（2名）に達しています" in text_of(refused.text)
    with app.app_context():
        row = db.session.get(Application, ids[2])
        assert row.status == ApplicationStatus.SUBMITTED and not row.user.has_role(Role.TRAINEE)
        db.session.get(Cohort, open_cohort).capacity = 3
        db.session.commit()
    assert client.post(f"/admin/applications/{ids[2]}/decide",
                       data={"decision": "accept"}).status_code == 302


def test_evidence_missing_cannot_be_accepted(app, client, auth, make_user, open_cohort):
    application_id = make_application(app, make_user, open_cohort, "a@example.jp",
                                      evidence=False)
    make_user("office@example.jp", Role.ADMIN)
    auth.login("office@example.jp")
    response = client.post(f"/admin/applications/{application_id}/decide",
                           data={"decision": "accept"})
    assert response.status_code == 409 and "証明書類が提出されていない" in text_of(response.text)


def test_rejecting_needs_a_coded_reason(app, client, auth, make_user, open_cohort):
    application_id = make_application(app, make_user, open_cohort, "a@example.jp",
                                      eligible=False)
    make_user("office@example.jp", Role.ADMIN)
    auth.login("office@example.jp")
    other = client.post(f"/admin/applications/{application_id}/decide",
                        data={"decision": "reject", "reject-reason": "other"})
    assert other.status_code == 409
    assert client.post(f"/admin/applications/{application_id}/decide", data={
        "decision": "reject", "reject-reason": "not_eligible"}).status_code == 302
    with app.app_context():
        row = db.session.get(Application, application_id)
        assert row.status == ApplicationStatus.REJECTED
        assert row.decisions[-1].reason_code == "not_eligible"
        body = db.session.scalars(sa.select(OutgoingMail.body).order_by(OutgoingMail.id)).all()[-1]
        assert "受講要件（第4）を満たさない" in body


def test_a_returned_application_is_corrected_or_lapses(app, client, auth, make_user, runner,
                                                       open_cohort):
    first = make_application(app, make_user, open_cohort, "a@example.jp")
    second = make_application(app, make_user, open_cohort, "b@example.jp")
    make_user("office@example.jp", Role.ADMIN)
    auth.login("office@example.jp")
    due = today_tokyo() + timedelta(days=7)
    for application_id in (first, second):
        assert client.post(f"/admin/applications/{application_id}/decide", data={
            "decision": "return", "return-note": "在職証明書の発行日が読み取れません。",
            "return-due": due.isoformat()}).status_code == 302
    auth.logout()
    # the first applicant corrects and submits again
    auth.login("a@example.jp")
    page = text_of(client.get(f"/apply/{first}").text)
    assert "在職証明書の発行日が読み取れません。" in page
    assert client.post(f"/apply/{first}", data={"action": "submit"}).status_code == 302
    with app.app_context():
        assert db.session.get(Application, first).status == ApplicationStatus.SUBMITTED
    # the second does not: after the due date the daily job lapses it
    result = runner.invoke(args=["lms", "application-lapses", "--today",
                                 (due + timedelta(days=1)).isoformat()])
    assert "lapsed 1" in result.output
    assert "lapsed 0" in runner.invoke(args=["lms", "application-lapses", "--today",
                                             (due + timedelta(days=1)).isoformat()]).output
    with app.app_context():
        row = db.session.get(Application, second)
        assert row.status == ApplicationStatus.LAPSED
        assert row.decisions[-1].kind == DecisionKind.LAPSED
        verbs = db.session.scalars(sa.select(Statement.verb_id)).all()
        assert verbs.count(vocab.RETURNED.id) == 2


def test_the_rules_command_answers_as_the_forms_do(runner):
    payload = {"training_start": "2025-08-01", "current_post": "1-1",
               "periods": [{"desk": "2-2", "start": "2023-01-01", "end": None,
                            "days_worked": 400}],
               "qualifications": ["社会福祉士"]}
    result = runner.invoke(args=["lms", "rules", "eligibility"], input=json.dumps(payload))
    answer = json.loads(result.output)
    assert set(answer) == {"eligible", "days_in_post", "days_worked", "reasons"}
    assert answer["eligible"] is True and answer["days_in_post"] == 943
    payload.update(qualifications=[], periods=[{"desk": "2-2", "start": "2024/9/25",
                                                "end": None, "days_worked": 142}])
    answer = json.loads(runner.invoke(args=["lms", "rules", "eligibility"],
                                      input=json.dumps(payload)).output)
    assert answer == {"eligible": False, "days_in_post": 310, "days_worked": 142,
                      "reasons": ["現在の職：地方公共団体の相談窓口（(1)①）",
                                  "在職期間 310日（365日以上が必要）",
                                  "従事日数 142日（180日以上が必要）"]}


def test_the_cohort_form_sets_the_application_window(app, client, auth, make_user,
                                                      make_cohort):
    from lms.demo import cohort_dates

    cid = make_cohort(date(2027, 4, 1))
    make_user("office@example.jp", Role.ADMIN)
    auth.login("office@example.jp")
    data = {"name": "第1期", "capacity": 60,
            **{k: v.isoformat() for k, v in cohort_dates(date(2027, 4, 1)).items()},
            "applications_open": "2027-01-10", "applications_close": "2027-04-15"}
    bad = client.post(f"/admin/cohorts/{cid}/edit", data=data)
    assert "順序" in text_of(bad.text) or "前" in text_of(bad.text)
    data["applications_close"] = "2027-02-28"
    assert client.post(f"/admin/cohorts/{cid}/edit", data=data).status_code == 302
    with app.app_context():
        cohort = db.session.get(Cohort, cid)
        assert (cohort.applications_open, cohort.applications_close) == (
            date(2027, 1, 10), date(2027, 2, 28))
