"""The committee in Chromium (§6(2)): members approve the certification-test items; a trainee
who attended course ② declares, takes the test and sees only the score; the committee decides
the pass and, with a quorum of two members, certifies."""

import pytest
import sqlalchemy as sa

from lms import xapi
from lms.auth.models import User
from lms.booking.models import AttendanceStatus, CourseSession
from lms.booking.services import book, mark
from lms.certification.models import CertificationDecision, Outcome
from lms.cohorts.models import Enrolment
from lms.demo import demo_values
from lms.extensions import db
from lms.practice.forms_cache import report_forms
from lms.practice.models import ReportStatus
from lms.practice.services import report_for, review, submit
from lms.security import Role
from lms.timeutil import today_tokyo
from lms.xapi.vocab import TYPE_ASSESSMENT, Verb
from tests.booking.test_booking import make_session
from tests.browser.conftest import screenshot
from tests.browser.test_roles import log_in
from tests.conftest import PASSWORD
from tests.factories import REQUIREMENTS

pytestmark = pytest.mark.browser


@pytest.fixture
def attended(live_app, practising_trainee, make_user):
    """The trainee passed course ① (statements), completed practice and attended course ②."""
    for email in ("m1@example.jp", "m2@example.jp"):
        make_user(email, Role.COMMITTEE)
    teacher = make_user("teacher@example.jp", Role.INSTRUCTOR)
    with live_app.app_context():
        trainee = db.session.execute(sa.select(User).filter_by(
            email=practising_trainee)).scalar_one()
        enrolment = db.session.execute(sa.select(Enrolment).filter_by(
            user_id=trainee.id)).unique().scalar_one()
        for r in REQUIREMENTS:  # the fixture programme has two group tests, not five
            if r.activity.startswith("quizzes/") and not r.committee:
                xapi.record(trainee, Verb(r.verb, "passed", "合格した"), xapi.activity(
                    xapi.activity_iri(*r.activity.split("/")), TYPE_ASSESSMENT, r.key),
                    registration=enrolment.registration)
        forms = report_forms()
        for kind in ("goal", "progress", "final"):
            submit(enrolment, kind, demo_values(forms[kind]))
            review(db.session.get(User, teacher), report_for(enrolment, kind),
                   ReportStatus.ACCEPTED, "")
        db.session.commit()
        cohort_id = enrolment.cohort_id
    session_id = make_session(live_app, cohort_id, capacity=10, days=2)
    with live_app.app_context():
        session = db.session.get(CourseSession, session_id)
        trainee = db.session.execute(sa.select(User).filter_by(
            email=practising_trainee)).scalar_one()
        book(trainee, session)
        for day in session.days:
            mark(db.session.get(User, teacher), day, trainee.id, AttendanceStatus.PRESENT,
                 today=day.day)
        db.session.commit()
    return practising_trainee


def as_user(browser, live_server, email):
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo",
                                  viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, email, PASSWORD)
    return page


def test_items_approved_test_scored_decided_and_certified_by_a_quorum(
        browser, live_server, live_app, attended):
    m1 = as_user(browser, live_server, "m1@example.jp")
    m1.goto(live_server + "/committee/")
    assert "修了認定テストの設問 2 件が審査待ちです。" in m1.inner_text("main")
    m1.goto(live_server + "/certification/items")
    for question_id in ("fcert-q1", "fcert-q2"):
        m1.get_by_role("link", name=question_id).click()
        m1.get_by_role("button", name="この版を承認する").click()
        m1.get_by_text("承認しました。").wait_for()
    assert m1.locator("td .badge.ok", has_text="承認済み").count() == 2
    screenshot(m1, "committee-items")

    trainee = as_user(browser, live_server, attended)
    trainee.goto(live_server + "/certification/declaration")
    trainee.get_by_label("上記の内容が事実に相違ないことを申告します。").check()
    trainee.get_by_role("button", name="申告する").click()
    trainee.get_by_text("申告を提出しました。").first.wait_for()
    trainee.goto(live_server + "/quizzes/certification")
    trainee.get_by_role("button", name="受験を開始する").click()
    for prompt, right in (("相談者の主体性を尊重する。", "正しい（○）"),
                          ("在留資格は確認しなくてよい。", "誤り（×）")):
        question = trainee.locator("fieldset.question", has_text=prompt)
        question.get_by_label(right).check()
        question.get_by_text("保存しました").wait_for()
    trainee.once("dialog", lambda dialog: dialog.accept())
    trainee.get_by_role("button", name="解答を提出する").click()
    trainee.locator("#committee-decides").wait_for()
    main = trainee.inner_text("main")
    assert "結果は認定審査委員会で決定されます" in main and "2.0 / 2.0" in main
    assert "合格" not in main  # neither 合格 nor 不合格 before the committee decides
    screenshot(trainee, "certification-test-score-only")

    m1.goto(live_server + "/certification/tests")
    assert "項目分析" in m1.inner_text("main")
    m1.get_by_role("button", name="一覧の結果を決定する").click()
    m1.get_by_text("1 名の結果を決定しました。").wait_for()
    screenshot(m1, "committee-test-results")

    trainee.reload()
    assert "合格" in trainee.inner_text("main")  # decided: now the trainee sees it

    m1.goto(live_server + "/committee/")
    m1.get_by_role("link", name="利用者").first.click()  # the candidate's dossier
    m1.locator("#test-decision").wait_for()
    m1.get_by_role("radio", name="認定する").check()
    m1.get_by_role("button", name="投票する").click()
    m1.get_by_text("投票を記録しました。").wait_for()
    assert m1.locator("#decision").count() == 0  # one vote is not a quorum
    dossier = m1.url

    m2 = as_user(browser, live_server, "m2@example.jp")
    m2.goto(dossier)
    m2.get_by_role("radio", name="認定する").check()
    m2.get_by_label("理由（認定する場合以外は必須）").fill("すべての要件を満たしている。")
    m2.get_by_role("button", name="投票する").click()
    m2.get_by_text("定足数の委員の判断が一致したため、委員会の決定を記録しました。").wait_for()
    assert "修了認定されました" in m2.inner_text("#decision")
    screenshot(m2, "committee-dossier-certified")

    with live_app.app_context():
        decision = db.session.execute(sa.select(CertificationDecision)).scalar_one()
        assert decision.outcome == Outcome.CERTIFIED and decision.decided_on == today_tokyo()
