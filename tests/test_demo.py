"""`flask lms demo` seeds every role once."""

import re

import sqlalchemy as sa

from lms.auth.models import User
from lms.extensions import db


def test_demo_seeds_once_and_every_account_logs_in(app, runner, client, auth):
    assert "Demo data seeded." in runner.invoke(args=["lms", "demo"]).output
    assert "already present" in runner.invoke(args=["lms", "demo"]).output
    assert "not seeded" in runner.invoke(args=["lms", "demo", "--if-empty"]).output
    with app.app_context():
        # 12 staff and trainees (3 of them from lms.certification.demo), 5 applicants
        # (lms/applications/demo.py), 4 certificate holders (lms.certificates.demo) and
        # one overdue trainee (lms/office/demo.py)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 12 + 5 + 4 + 1
    homes = {"admin": "/admin/", "instructor": "/instructor/", "committee": "/committee/",
             "trainee1": "/trainee/", "applicant1": "/apply/mine", "applicant5": "/trainee/"}
    for who, home in homes.items():
        auth.login(f"{who}@demo.example", "demo-pass-2026")
        assert client.get("/").headers["Location"].endswith(home), who
        assert client.get(home).status_code == 200
        auth.logout()


def test_create_admin(runner, auth):
    result = runner.invoke(args=["lms", "create-admin", "--email", "boss@example.jp",
                                 "--name", "管理者"], input="strong-pass-77\nstrong-pass-77\n")
    assert "created" in result.output
    assert auth.login("boss@example.jp", "strong-pass-77").status_code == 302


def test_demo_funnel_on_the_sample_programme(app, runner):
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    runner.invoke(args=["lms", "demo"])
    from lms.admin.services import programme_funnel

    with app.app_context():
        # the application accepted (or, for those the office enrolled directly, the
        # enrolment): 6 trainees, trainee7 and trainee8 (lms.certification.demo, every stage
        # done), the accepted demo applicant (whose cohort has not started), the 4 holders
        # and the overdue trainee (lms/office/demo.py)
        # the points are the registered milestones in programme order; course ② counts
        # those who completed it (trainee7 and trainee8), not those merely booked
        assert programme_funnel() == [("stage:application", 8 + 1 + 4 + 1),
                                      ("quiz:comprehensive", 5), ("stage:practice", 4),
                                      ("stage:course2", 2), ("withdrawn", 0)]


def test_demo_has_an_open_cohort_with_applications_in_every_state(app, runner):
    from lms.applications.models import Application

    runner.invoke(args=["lms", "demo"])
    with app.app_context():
        rows = db.session.scalars(sa.select(Application)).all()
        assert {r.status.value for r in rows} == {"draft", "submitted", "returned", "accepted"}
        submitted = [r for r in rows if r.status == "submitted"]
        assert sorted(r.eligible for r in submitted) == [False, True]
        refused = next(r for r in submitted if not r.eligible)
        assert "従事日数 142日（180日以上が必要）" in refused.reasons


def test_demo_certificate_holders(app, runner, client, auth):
    runner.invoke(args=["lms", "demo"])
    auth.login("holder-valid@demo.example", "demo-pass-2026")
    page = client.get("/certificates/mine").text
    assert "有効" in page
    download = client.get(re.search(r'href="(/certificates/\d+/pdf)"', page).group(1))
    assert download.data.startswith(b"%PDF")
    auth.logout()
    auth.login("admin@demo.example", "demo-pass-2026")
    registry = client.get("/admin/certificates/registry").text
    for name in ("小林 誠", "中村 さくら", "加藤 健一", "吉田 真理"):
        assert name in registry
    assert "取消" in registry and "失効" in registry
    organisations = client.get("/certificates/organisations").text
    assert "豊橋市国際交流協会" in organisations
    assert "さいたま外国人支援ネット" not in organisations  # consented, but revoked


def test_demo_committee_certified_one_and_one_awaits(app, runner, client, auth):
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    runner.invoke(args=["lms", "demo"])
    from lms.certification.models import CertificationDecision, Outcome

    with app.app_context():
        decisions = db.session.scalars(sa.select(CertificationDecision)).all()
        by_email = {d.enrolment.user.email: d.outcome for d in decisions}
        assert by_email["trainee7@demo.example"] == Outcome.CERTIFIED
        assert "trainee8@demo.example" not in by_email
    auth.login("committee2@demo.example", "demo-pass-2026")
    page = client.get("/committee/")
    assert "受講生 加藤 八雲" in page.text and "テスト結果の決定待ち" in page.text
    assert "受講生 小林 七海" not in page.text


def test_demo_lecture_completions_each_have_their_own_viewing_session(app, runner):
    """Seeded viewings are sessions like real ones: launched, initialized, completed and
    terminated under one UUID each (the rule checks run on them after the test)."""
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    runner.invoke(args=["lms", "demo"])
    from lms.xapi.models import Statement

    session_key = "https://w3id.org/xapi/video/extensions/session-id"
    with app.app_context():
        completed = [s.payload for s in db.session.execute(sa.select(Statement).where(
            Statement.verb_id == "http://adlnet.gov/expapi/verbs/completed",
            Statement.object_id.like("%/xapi/activities/modules/%"))).scalars()]
        terminated = db.session.scalar(sa.select(sa.func.count()).select_from(Statement).where(
            Statement.verb_id == "http://adlnet.gov/expapi/verbs/terminated"))
    sessions = [s["context"]["extensions"][session_key] for s in completed]
    assert completed and len(set(sessions)) == len(sessions) and "demo" not in sessions
    assert terminated >= len(completed)
