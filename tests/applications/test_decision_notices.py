"""The secretariat's decisions reach the applicant as notifications: one in-app entry and one
e-mail each, in the applicant's language (not the deciding administrator's)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from lms.applications import review
from lms.applications.models import Application
from lms.auth.models import User
from lms.extensions import db
from lms.mail.models import OutgoingMail
from lms.notify.models import Notification
from lms.security import Role
from lms.timeutil import today_tokyo
from tests.applications.test_review import make_application
from tests.conftest import text_of


def _notices(email: str) -> tuple[list[str], list[OutgoingMail]]:
    user = db.session.scalar(sa.select(User).filter_by(email=email))
    kinds = db.session.scalars(sa.select(Notification.kind).filter_by(user_id=user.id)
                               .order_by(Notification.id)).all()
    mails = db.session.scalars(sa.select(OutgoingMail).filter_by(to=email)
                               .order_by(OutgoingMail.id)).all()
    return list(kinds), list(mails)


def test_each_decision_is_one_notification_and_one_mail(app, client, auth, make_user,
                                                        open_cohort):
    accepted = make_application(app, make_user, open_cohort, "a@example.jp")
    rejected = make_application(app, make_user, open_cohort, "b@example.jp", eligible=False)
    returned = make_application(app, make_user, open_cohort, "c@example.jp")
    admin_id = make_user("office@example.jp", Role.ADMIN)
    today = today_tokyo()
    with app.app_context():
        baseline = {e: len(_notices(e)[1]) for e in ("a@example.jp", "b@example.jp",
                                                     "c@example.jp")}
        admin = db.session.get(User, admin_id)
        review.accept(admin, db.session.get(Application, accepted))
        review.reject(admin, db.session.get(Application, rejected), "not_eligible", "")
        review.return_for_correction(admin, db.session.get(Application, returned),
                                     "在職証明書を添付してください。", today + timedelta(days=7),
                                     today)
        db.session.commit()
        review.lapse_overdue(today + timedelta(days=8))
        db.session.commit()
        expected = {"a@example.jp": ["application_accepted"],
                    "b@example.jp": ["application_rejected"],
                    "c@example.jp": ["application_returned", "application_lapsed"]}
        for email, kinds in expected.items():
            notified, mails = _notices(email)
            assert notified == kinds
            assert len(mails) - baseline[email] == len(kinds)  # one mail each, not two
        _kinds, mails = _notices("a@example.jp")
        assert mails[-1].subject == "受講申込を受理しました"
        assert "/login" in mails[-1].body  # the link, on its own line
        _kinds, mails = _notices("c@example.jp")
        returned_mail, lapsed_mail = mails[-2:]
        assert "在職証明書を添付してください。" in returned_mail.body
        assert f"/apply/{returned}" in returned_mail.body
        assert (today + timedelta(days=7)).strftime("%Y/%m/%d") in lapsed_mail.body
    # the applicant sees them in the app too
    auth.login("c@example.jp")
    page = text_of(client.get("/notifications/").text)
    assert "受講申込の修正のお願い" in page and "受講申込が失効しました" in page


def test_a_rejection_reads_in_the_applicants_language(app, client, auth, make_user,
                                                      open_cohort):
    application_id = make_application(app, make_user, open_cohort, "en@example.jp",
                                      eligible=False)
    with app.app_context():
        db.session.scalar(sa.select(User).filter_by(email="en@example.jp")).locale = "en"
        db.session.commit()
    make_user("office@example.jp", Role.ADMIN)
    auth.login("office@example.jp")  # a Japanese-speaking administrator decides
    assert client.post(f"/admin/applications/{application_id}/decide", data={
        "decision": "reject", "reject-reason": "not_eligible"}).status_code == 302
    with app.app_context():
        _kinds, mails = _notices("en@example.jp")
        assert mails[-1].subject == "The result of your application"
        assert "Reason: Does not meet the eligibility requirements (§4)" in mails[-1].body
    auth.logout()
    auth.login("en@example.jp")
    page = text_of(client.get("/notifications/").text)
    assert "Does not meet the eligibility requirements" in page
