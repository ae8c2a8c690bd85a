"""Applying: sign-up by verified link, the draft, typed dates, evidence, submission."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from lms.applications.models import Application, ApplicationStatus
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.mail.models import OutgoingMail
from lms.security import Role
from lms.timeutil import today_tokyo
from lms.xapi.models import Statement
from tests.applications.conftest import PDF, PNG
from tests.conftest import PASSWORD, text_of


def sign_up(client, app, cohort_id, email="applicant@example.jp"):
    """Sign up, follow the mailed link, set a password: returns the new application's id."""
    response = client.post(f"/apply/cohorts/{cohort_id}", data={"name": "田中 一郎",
                                                               "email": email})
    assert "Open the link" in response.text or "リンク" in response.text
    with app.app_context():
        body = db.session.scalars(sa.select(OutgoingMail.body).where(
            OutgoingMail.to == email).order_by(OutgoingMail.id.desc())).first()
    link = re.search(r"http://lms\.test(/apply/verify/\S+)", body)[1]
    response = client.post(link, data={"password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def ids(app, application_id):
    with app.app_context():
        row = db.session.get(Application, application_id)
        return [p.id for p in row.periods], [q.id for q in row.qualifications]


def add(client, application_id, action="add_period"):
    assert client.post(f"/apply/{application_id}", data={"action": action}).status_code == 302


def test_the_public_page_shows_open_cohorts(client, open_cohort):
    page = text_of(client.get("/apply/").text)
    assert "第9期" in page and "受付中" in page


def test_sign_up_verifies_the_address_and_starts_a_draft(app, client, open_cohort):
    application_id = sign_up(client, app, open_cohort)
    with app.app_context():
        row = db.session.get(Application, application_id)
        assert row.status == ApplicationStatus.DRAFT and row.user.roles == set()
        assert row.user.password_hash
    # the home page of a person without a role is their applications
    assert client.get("/").headers["Location"].endswith("/apply/mine")
    assert "第9期" in client.get("/apply/mine").text


def test_a_known_address_is_told_to_log_in_not_given_a_second_account(app, client, make_user,
                                                                          open_cohort):
    make_user("known@example.jp", Role.TRAINEE)
    client.post(f"/apply/cohorts/{open_cohort}", data={"name": "x", "email": "known@example.jp"})
    with app.app_context():
        mail = db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)).all()[-1]
        assert "/apply/cohorts/" in mail.body and "verify" not in mail.body
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_typed_dates_and_furigana_are_normalised_and_the_verdict_follows(app, client,
                                                                          open_cohort):
    application_id = sign_up(client, app, open_cohort)
    add(client, application_id)
    (period,), _ = ids(app, application_id)
    response = client.post(f"/apply/{application_id}/draft", json={"values": {
        "furigana": "たなか　ｲﾁﾛｳ", "post_desk": "1-1",
        f"period-{period}-desk": "2-2", f"period-{period}-start": "令和５年４月１日",
        f"period-{period}-end": "", f"period-{period}-ongoing": "yes",
        f"period-{period}-days": "２５０"}})
    data = response.get_json()
    assert data["problems"] == {}
    assert data["verdict"]["eligible"] is True and data["verdict"]["days_worked"] == 250
    with app.app_context():
        row = db.session.get(Application, application_id)
        assert row.furigana == "タナカ\u3000イチロウ"
        assert row.periods[0].start_on == date(2023, 4, 1) and row.periods[0].ongoing
        assert row.rules_version.startswith("eligibility/")
    # and the verdict says why, in Japanese, when it fails
    data = client.post(f"/apply/{application_id}/draft", json={"values": {
        f"period-{period}-days": "142"}}).get_json()
    assert data["verdict"]["eligible"] is False
    assert "従事日数 142日（180日以上が必要）" in data["verdict"]["reasons"]


def test_a_period_ending_in_the_future_is_refused_and_the_draft_kept(app, client, open_cohort):
    application_id = sign_up(client, app, open_cohort)
    add(client, application_id)
    (period,), _ = ids(app, application_id)
    future = (today_tokyo() + timedelta(days=30)).isoformat()
    response = client.post(f"/apply/{application_id}", data={
        "action": "save", "organisation": "横浜市国際交流協会",
        f"period-{period}-start": "2024/4/1", f"period-{period}-end": future})
    assert response.status_code == 422
    page = text_of(response.text)
    assert "未来の日付" in page and future in response.text  # typed text shown back
    with app.app_context():
        row = db.session.get(Application, application_id)
        assert row.organisation == "横浜市国際交流協会"
        assert row.periods[0].start_on == date(2024, 4, 1) and row.periods[0].end_on is None


def test_evidence_is_checked_by_content_and_size(app, client, open_cohort):
    import io

    app.config["EVIDENCE_MAX_MB"] = 1
    application_id = sign_up(client, app, open_cohort)
    add(client, application_id)
    (period,), _ = ids(app, application_id)
    key = f"period-{period}-file"

    def upload(data, name, **form):
        return client.post(f"/apply/{application_id}", data={
            "action": "save", key: (io.BytesIO(data), name), **form},
            content_type="multipart/form-data")

    renamed = upload(b"just some text, not a PDF", "certificate.pdf",
                     organisation="国際交流協会")
    assert renamed.status_code == 422
    assert "PDF・JPEG・PNG のいずれでもありません" in text_of(renamed.text)
    big = upload(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), "big.pdf")
    assert big.status_code == 422 and "1 MB 以下" in text_of(big.text)
    mismatch = upload(PNG, "photo.pdf")
    assert mismatch.status_code == 422 and "一致しません" in text_of(mismatch.text)
    with app.app_context():
        row = db.session.get(Application, application_id)
        assert row.organisation == "国際交流協会" and row.periods[0].evidence is None
    assert upload(PDF, "在職証明書.pdf").status_code == 302
    with app.app_context():
        row = db.session.get(Application, application_id)
        evidence = row.periods[0].evidence
        assert evidence.content_type == "application/pdf"
        assert evidence.original_name == "在職証明書.pdf"
        file_id = evidence.id
    assert client.get(f"/apply/evidence/{file_id}").data == PDF


def test_evidence_is_readable_only_by_its_applicant_and_administrators(
        app, client, auth, make_user, open_cohort):
    import io

    application_id = sign_up(client, app, open_cohort)
    add(client, application_id)
    (period,), _ = ids(app, application_id)
    client.post(f"/apply/{application_id}", data={
        "action": "save", f"period-{period}-file": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data")
    with app.app_context():
        file_id = db.session.get(Application, application_id).periods[0].evidence_id
    auth.logout()
    make_user("other@example.jp", Role.TRAINEE)
    auth.login("other@example.jp")
    assert client.get(f"/apply/evidence/{file_id}").status_code == 404
    assert client.get(f"/apply/{application_id}").status_code == 404
    auth.logout()
    make_user("office@example.jp", Role.ADMIN)
    auth.login("office@example.jp")
    assert client.get(f"/apply/evidence/{file_id}").status_code == 200


def fill_complete(client, app, application_id, days="200", start="2024/1/1"):
    add(client, application_id)
    (period,), _ = ids(app, application_id)
    import io

    return client.post(f"/apply/{application_id}", data={
        "action": "submit", "full_name": "田中 一郎", "furigana": "タナカ イチロウ",
        "organisation": "横浜市", "prefecture": "神奈川県", "post_desk": "1-1",
        "post_role": "handles", f"period-{period}-desk": "2-2",
        f"period-{period}-organisation": "横浜市多文化共生総合相談センター",
        f"period-{period}-start": start, f"period-{period}-ongoing": "yes",
        f"period-{period}-end": "", f"period-{period}-days": days,
        f"period-{period}-file": (io.BytesIO(PDF), "在職証明書.pdf")},
        content_type="multipart/form-data")


def test_submitting_records_the_verdict_a_statement_and_a_receipt(app, client, open_cohort):
    application_id = sign_up(client, app, open_cohort)
    incomplete = client.post(f"/apply/{application_id}", data={"action": "submit"})
    assert incomplete.status_code == 422 and "入力されていない項目" in text_of(incomplete.text)
    kanji = client.post(f"/apply/{application_id}", data={"action": "submit", "furigana": "田中"})
    assert "フリガナはカタカナで入力してください。" in text_of(kanji.text)
    assert fill_complete(client, app, application_id).status_code == 302
    with app.app_context():
        row = db.session.get(Application, application_id)
        assert row.status == ApplicationStatus.SUBMITTED and row.eligible
        verbs = db.session.scalars(sa.select(Statement.verb_id)).all()
        assert "http://activitystrea.ms/schema/1.0/submit" in verbs
        assert db.session.scalar(sa.select(AuditEvent).filter_by(action="application.submit"))
        latest = sa.select(OutgoingMail.subject).order_by(OutgoingMail.id.desc()).limit(1)
        assert "受け付けました" in db.session.scalar(latest)
    # a submitted application is no longer editable
    assert client.post(f"/apply/{application_id}", data={"action": "save"}).status_code == 422


def test_a_closed_window_takes_no_new_drafts(app, client, auth, make_user, make_cohort):
    cid = make_cohort(today_tokyo() + timedelta(days=40), name="閉", capacity=5)
    make_user("late@example.jp", Role.TRAINEE)
    auth.login("late@example.jp")
    response = client.post(f"/apply/cohorts/{cid}", follow_redirects=True)
    assert "受け付けていません" in text_of(response.text)
