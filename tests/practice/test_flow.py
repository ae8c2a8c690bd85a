"""The practice stage through the app: gating, goal first, drafts, submit, review, complete."""

from datetime import date, timedelta

import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.certification import readiness
from lms.cohorts.models import Cohort, Enrolment
from lms.cohorts.services import enrol
from lms.extensions import db
from lms.practice.models import PracticeReport, ReportStatus
from lms.security import Role
from lms.xapi.models import Statement
from tests.conftest import authoring_copy, text_of
from tests.factories import at_once, goal_values

GOAL = {"desk_and_role": "市の国際交流協会の相談窓口で相談員をしている。",
        "current_issues": "複合的な相談に対して、連携先へのつなぎが遅れがちである。" * 3,
        "competencies": ["在留資格の正確な把握"],
        "theme": "多機関連携の強化", "goal": "相談から連携先へのつなぎを一週間以内にする。" * 2,
        "actions": "毎週、連携先リストを更新し、ケース会議を開く。" * 3,
        "indicators": "つなぎまでの日数を記録し、平均を比較する。" * 2,
        "target_date": "2027-03-31"}


def test_practice_is_locked_before_the_comprehensive_test(app, client, make_user, auth,
                                                          make_cohort, tmp_path):
    root = authoring_copy(tmp_path)
    app.config["CONTENT_DIR"] = str(root)
    uid = make_user("early@example.jp", Role.TRAINEE)
    cid = make_cohort(date.today())
    with app.app_context():
        enrol(None, db.session.get(Cohort, cid), db.session.get(User, uid))
        db.session.commit()
    auth.login("early@example.jp")
    page = client.get("/practice/")
    assert page.status_code == 403
    assert "合格すると利用できます" in text_of(page.text)


def test_goal_first_then_reports(app, client, practice_trainee):
    page = client.get("/practice/reports/progress")
    assert "先に目標設定シートを提出" in text_of(page.text)
    refused = client.post("/practice/reports/progress/draft", json={"values": {}})
    assert refused.status_code == 409
    values = goal_values(app)
    response = client.post("/practice/reports/goal", data={**values, "action": "submit",
                                                           "confirm": "yes"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/receipt")
    receipt = text_of(client.get("/practice/reports/goal/receipt").text)
    assert "提出しました" in receipt
    assert client.post("/practice/reports/progress/draft",
                       json={"values": {}}).status_code == 200


def test_submit_needs_confirmation_and_valid_values(app, client, practice_trainee):
    values = goal_values(app)
    no_confirm = client.post("/practice/reports/goal", data={**values, "action": "submit"})
    assert "確認" in text_of(no_confirm.text)
    short = {k: ("あ" if isinstance(v, str) and len(v) > 3 else v) for k, v in values.items()}
    invalid = client.post("/practice/reports/goal",
                          data={**short, "action": "submit", "confirm": "yes"})
    assert "文字以上" in text_of(invalid.text)
    with app.app_context():
        report = db.session.execute(sa.select(PracticeReport)).scalar_one_or_none()
        assert report is None or report.status == ReportStatus.DRAFT


def test_draft_autosave_keeps_text(app, client, practice_trainee):
    first_text = next(k for k, v in goal_values(app).items() if isinstance(v, str))
    saved = client.post("/practice/reports/goal/draft",
                        json={"values": {first_text: "途中まで書いた文章"}})
    assert saved.status_code == 200 and saved.get_json()["saved_at"]
    assert "途中まで書いた文章" in client.get("/practice/reports/goal").text


def test_late_submission_is_refused_unless_extended(app, client, practice_trainee, make_user):
    with app.app_context():
        enrolment = db.session.execute(sa.select(Enrolment)).unique().scalar_one()
        cohort = enrolment.cohort
        cohort.practice_start = date.today() - timedelta(days=60)  # goal due long ago
        db.session.commit()
    values = goal_values(app)
    late = client.post("/practice/reports/goal",
                       data={**values, "action": "submit", "confirm": "yes"})
    assert "期限を過ぎている" in text_of(late.text)
    with app.app_context():
        from lms.practice.services import grant_extension

        admin = db.session.get(User, make_user("a@example.jp", Role.ADMIN))
        enrolment = db.session.execute(sa.select(Enrolment)).unique().scalar_one()
        grant_extension(admin, enrolment, "goal", date.today() + timedelta(days=3), "病気のため")
        db.session.commit()
    ok = client.post("/practice/reports/goal",
                     data={**values, "action": "submit", "confirm": "yes"})
    assert ok.status_code == 302


def test_review_return_resubmit_accept_and_versions(app, client, practice_trainee, make_user,
                                                    auth):
    values = goal_values(app)
    client.post("/practice/reports/goal", data={**values, "action": "submit", "confirm": "yes"})
    auth.logout()
    make_user("i@example.jp", Role.INSTRUCTOR)
    auth.login("i@example.jp")
    with app.app_context():
        report_id = db.session.execute(sa.select(PracticeReport.id)).scalar_one()
    queue = text_of(client.get("/staff/practice/").text)
    assert "課題設定シート（取組目標）" in queue
    no_due = client.post(f"/staff/practice/reports/{report_id}",
                         data={"decision": "returned", "comment": "具体化してください"},
                         follow_redirects=True)
    assert "新しい提出期限" in text_of(no_due.text)
    due = (date.today() + timedelta(days=7)).isoformat()
    client.post(f"/staff/practice/reports/{report_id}", data={
        "decision": "returned", "comment": "指標を具体化してください", "new_due_on": due})
    with app.app_context():  # a return without a reason for its new due date is refused
        assert db.session.get(PracticeReport, report_id).status == ReportStatus.SUBMITTED
    client.post(f"/staff/practice/reports/{report_id}", data={
        "decision": "returned", "comment": "指標を具体化してください", "new_due_on": due,
        "due_reason": "修正期間として1週間"})
    with app.app_context():
        # the return is one audit record, with its new due date and the reason for it
        event = db.session.execute(sa.select(AuditEvent).where(
            AuditEvent.target_type == "PracticeReport")).scalar_one()
        assert event.action == "practice.review"
        assert event.details == {"kind": "goal", "decision": "returned", "new_due_on": due,
                                 "reason": "修正期間として1週間",
                                 "comment": "指標を具体化してください"}
    auth.logout()
    auth.login("p@example.jp")
    page = text_of(client.get("/practice/reports/goal").text)
    assert "指標を具体化してください" in page and "差戻し" in page
    home = text_of(client.get("/trainee/").text)
    assert "対応が必要なこと" in home and "が差し戻されました" in home
    assert "まで" in home.split("対応が必要なこと")[1][:200]
    client.post("/practice/reports/goal", data={**values, "action": "submit", "confirm": "yes"})
    auth.logout()
    auth.login("i@example.jp")
    client.post(f"/staff/practice/reports/{report_id}",
                data={"decision": "accepted", "comment": "よくできています"})
    with app.app_context():
        report = db.session.get(PracticeReport, report_id)
        assert report.status == ReportStatus.ACCEPTED and len(report.versions) == 2
        assert [r.decision for r in report.reviews] == ["returned", "accepted"]
        decisions = db.session.execute(sa.select(Statement).where(Statement.verb_id.in_([
            "http://activitystrea.ms/schema/1.0/reject",
            "http://activitystrea.ms/schema/1.0/accept"])).order_by(Statement.seq)).scalars().all()
        reviewer = db.session.execute(sa.select(User).filter_by(email="i@example.jp")).scalar_one()
        trainee = db.session.get(User, report.user_id)
        enrolment = db.session.get(Enrolment, report.enrolment_id)
        goal = next(e for e in readiness.readiness(trainee, enrolment.registration)
                    if e.requirement.key == "report:goal")
    # The reviewer decided: the reviewer is the actor, the trainee and registration say whose
    assert [d.verb_id.rsplit("/", 1)[-1] for d in decisions] == ["reject", "accept"]
    for decision in decisions:
        assert decision.payload["actor"]["account"]["name"] == reviewer.public_id
        trainee_ext = decision.payload["context"]["extensions"][
            "http://lms.test/vocab/extensions/trainee"]
        assert trainee_ext["account"]["name"] == trainee.public_id
        assert decision.registration == enrolment.registration
    assert decisions[0].payload["result"]["success"] is False
    assert decisions[0].payload["result"]["extensions"][
        "http://lms.test/vocab/extensions/revision-due"] == due
    assert goal.met and goal.record.statement_id == decisions[1].statement_id
    auth.logout()
    make_user("a@example.jp", Role.ADMIN)
    auth.login("a@example.jp")
    log = text_of(client.get("/admin/audit?action=practice.review").text)
    assert "提出物の確認" in log and "差戻し" in log and "修正期間として1週間" in log


def test_other_trainees_report_is_out_of_reach(app, client, practice_trainee, auth, make_user):
    values = goal_values(app)
    client.post("/practice/reports/goal", data={**values, "action": "submit", "confirm": "yes"})
    with app.app_context():
        report_id = db.session.execute(sa.select(PracticeReport.id)).scalar_one()
    auth.logout()
    make_user("x@example.jp", Role.TRAINEE)
    auth.login("x@example.jp")
    assert client.get(f"/staff/practice/reports/{report_id}").status_code == 403
    assert client.get("/practice/reports/goal/receipt").status_code in (403, 404)


def test_six_parallel_submissions_make_one_version(app, client, practice_trainee):
    """One submission wins (a conditional UPDATE); the others are shown the receipt."""
    import threading

    from lms.practice.models import ReportVersion
    from lms.xapi import vocab
    from lms.xapi.models import Statement

    values = goal_values(app)
    assert client.get("/practice/reports/goal").status_code == 200  # the draft row exists
    cookie = client.get_cookie("session").value
    answers, barrier = [], threading.Barrier(6)

    def submit():
        other = app.test_client()
        other.set_cookie("session", cookie)
        barrier.wait()
        response = other.post("/practice/reports/goal",
                              data={**values, "action": "submit", "confirm": "yes"})
        answers.append((response.status_code, response.headers.get("Location", "")))

    at_once(submit, [()] * 6, None)
    assert all(code == 302 and where.endswith("/receipt") for code, where in answers), answers
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportVersion)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement).where(
            Statement.verb_id == vocab.SET_GOAL.id)) == 1
