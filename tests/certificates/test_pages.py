"""Verification, the holder's page, the registry, the organisation list and the daily job."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.certificates import services
from lms.certificates.daily import run
from lms.certificates.models import Certificate, CertificateNotice, RevocationGround
from lms.certification.models import CertificationDecision
from lms.extensions import db
from lms.mail.models import OutgoingMail
from lms.security import Role
from lms.timeutil import today_tokyo
from tests.conftest import text_of
from tests.factories import at_once, within_one_minute


def _issued(app, certified, make_user, name="田中 一郎", decided_on=None, email=None):
    user_id, decision_id = certified(name, decided_on or today_tokyo(), email=email)
    admin_id = make_user(None, Role.ADMIN, name="事務局")
    with app.app_context():
        cert = services.issue(db.session.get(User, admin_id),
                              db.session.get(CertificationDecision, decision_id), today_tokyo())
        db.session.commit()
        return user_id, admin_id, cert.id, cert.number, cert.token


def test_qr_link_shows_name_status_and_validity_only(app, client, certified, make_user):
    _, _, _, number, token = _issued(app, certified, make_user, email="holder@example.jp")
    page = text_of(client.get(f"/certificates/v/{token}").text)
    assert "田中 一郎" in page and number in page and "有効" in page
    assert "holder@example.jp" not in page
    assert client.get("/certificates/v/not-a-token").status_code == 404


def test_typed_number_shows_the_name_only_with_the_family_name(app, client, certified,
                                                               make_user):
    _, _, _, number, _ = _issued(app, certified, make_user)
    page = text_of(client.get("/certificates/verify", query_string={"number": number}).text)
    assert "有効" in page and "田中" not in page
    page = text_of(client.get("/certificates/verify", query_string={
        "number": number, "family_name": "鈴木"}).text)
    assert "田中" not in page
    page = text_of(client.get("/certificates/verify", query_string={
        "number": number.replace("-", ""), "family_name": "田中"}).text)
    assert "田中 一郎" in page
    bad = client.get("/certificates/verify", query_string={"number": "2025-0001-4"})
    assert bad.status_code == 404


def test_revoked_certificate_shows_revoked_with_the_date(app, client, certified, make_user):
    _, admin_id, cert_id, _, token = _issued(app, certified, make_user)
    with app.app_context():
        services.revoke(db.session.get(User, admin_id), db.session.get(Certificate, cert_id),
                        RevocationGround.IMPROPER_MEANS, "虚偽申告", date(2026, 1, 5))
        db.session.commit()
    page = text_of(client.get(f"/certificates/v/{token}").text)
    assert "取消" in page and "令和8年1月5日" in page


def test_verification_is_rate_limited_per_client(app, client):
    app.config["CERT_VERIFY_PER_MINUTE"] = 3
    within_one_minute(10)
    codes = [client.get("/certificates/v/x").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


def test_holder_downloads_own_certificate_and_nobody_else_does(
        app, client, auth, certified, make_user):
    _, _, cert_id, _, _ = _issued(app, certified, make_user, email="holder@example.jp")
    make_user("other@example.jp", Role.TRAINEE)
    auth.login("other@example.jp")
    assert client.get(f"/certificates/{cert_id}/pdf").status_code == 403
    auth.logout()
    auth.login("holder@example.jp")
    response = client.get(f"/certificates/{cert_id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_registry_and_person_page_for_administrators(app, client, auth, certified, make_user):
    user_id, admin_id, cert_id, number, _ = _issued(app, certified, make_user)
    with app.app_context():
        email = db.session.get(User, admin_id).email
    auth.login(email)
    page = text_of(client.get("/admin/certificates/registry").text)
    assert number in page and "田中 一郎" in page
    assert number not in text_of(client.get("/admin/certificates/registry",
                                            query_string={"status": "revoked"}).text)
    assert number in text_of(client.get("/admin/certificates/registry",
                                        query_string={"q": "田中"}).text)
    assert number in text_of(client.get(f"/admin/certificates/registry/{user_id}").text)
    assert number in text_of(client.get(f"/admin/certificates/{cert_id}").text)


def test_issue_from_the_queue_page(app, client, auth, certified, make_user):
    _, decision_id = certified("鈴木 二葉", today_tokyo())
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")
    assert "鈴木 二葉" in client.get("/admin/certificates/").text
    response = client.post("/admin/certificates/issue", data={"decision": [str(decision_id)]},
                           headers={"Accept": "application/json"})
    assert len(response.json["issued"]) == 1
    again = client.post("/admin/certificates/issue", data={"decision": [str(decision_id)]},
                        headers={"Accept": "application/json"})
    assert again.json == {"issued": [], "skipped": ["already_issued"]}


def test_organisation_list_shows_only_consenting_holders(app, client, auth, certified,
                                                         make_user):
    _issued(app, certified, make_user, name="同意 する", email="yes@example.jp")
    _issued(app, certified, make_user, name="同意 しない", email="no@example.jp")
    for email, org, consent in (("yes@example.jp", "多文化共生センター", "y"),
                                ("no@example.jp", "秘密の協会", "")):
        auth.login(email)
        data = {"furigana": "", "organisation": org, "prefecture": "愛知県"}
        if consent:
            data["list_consent"] = consent
        client.post("/certificates/mine/profile", data=data)
        auth.logout()
    page = text_of(client.get("/certificates/organisations").text)
    assert "多文化共生センター" in page and "秘密の協会" not in page
    auth.login("yes@example.jp")
    client.post("/certificates/mine/profile", data={"organisation": "多文化共生センター",
                                                    "prefecture": "愛知県"})
    assert "多文化共生センター" not in text_of(client.get("/certificates/organisations").text)


def test_daily_job_reminds_when_due_and_lapses_once(app, certified, make_user, runner):
    _, _, cert_id, _, _ = _issued(app, certified, make_user, decided_on=date(2025, 3, 28))
    with app.app_context():
        assert run(date(2027, 9, 29)).reminded == []  # before the 6-month milestone
        first = run(date(2027, 9, 30))
        assert [m for _, m in first.reminded] == [6]
        assert run(date(2027, 10, 1)).reminded == []  # sent once
        assert [m for _, m in run(date(2028, 1, 15)).reminded] == [3]  # a missed day catches up
        db.session.commit()
        assert run(date(2028, 3, 31)).lapsed == []  # the last day is still valid
        lapsed = run(date(2028, 4, 1))
        assert len(lapsed.lapsed) == 1
        assert run(date(2028, 4, 2)).lapsed == []
        db.session.commit()
        assert db.session.get(Certificate, cert_id).lapsed_on == date(2028, 4, 1)
        notices = db.session.scalars(select(CertificateNotice.notice)).all()
        assert sorted(notices) == ["lapsed", "reminder-1", "reminder-3", "reminder-6"]
        subjects = db.session.scalars(select(OutgoingMail.subject)).all()
        assert sum("効力" in s for s in subjects) == 1
    out = runner.invoke(args=["lms", "certificates-daily", "--today", "2028-04-03"])
    assert out.exit_code == 0 and "lapsed 0" in out.output


def test_two_daily_runs_at_once_act_once(app, certified, make_user):
    import threading

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("concurrent writers: PostgreSQL (LMS_TEST_DATABASE_URL)")
    _issued(app, certified, make_user, name="期限 一", decided_on=date(2025, 3, 28))
    _issued(app, certified, make_user, name="期限 二", decided_on=date(2024, 3, 28))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def job():
        try:
            with app.app_context():
                barrier.wait(5)
                results.append(run(date(2027, 10, 1)))
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - collected and reported
            errors.append(repr(exc))

    at_once(job, [()] * 2)
    assert errors == []
    assert sum(len(r.reminded) for r in results) == 1  # the 2028 expiry: 6-month reminder
    assert sum(len(r.lapsed) for r in results) == 1  # the 2027-03-31 expiry lapsed
