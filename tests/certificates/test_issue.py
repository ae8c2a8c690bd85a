"""Issuing certificates: the PDF (Japanese text, QR code), numbers, immutability, reissue,
revocation."""

import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.certificates import pdf, services
from lms.certificates.models import Certificate, IssueKind, RevocationGround
from lms.certificates.rules import CertificateStatus as S
from lms.certification.models import CertificationDecision, Outcome
from lms.extensions import db
from lms.mail.models import OutgoingMail
from lms.security import Role
from lms.xapi.models import Statement
from tests.factories import at_once, pdf_text, qr_text

TODAY = date(2025, 4, 10)


@pytest.fixture
def admin_id(make_user):
    return make_user("admin@example.jp", Role.ADMIN, name="事務局 管理者")


def _issue(decision_id, admin_id, today=TODAY):
    admin = db.session.get(User, admin_id)
    cert = services.issue(admin, db.session.get(CertificationDecision, decision_id), today)
    db.session.commit()
    return cert


def test_certificate_pdf_has_the_name_the_reiwa_dates_and_a_qr_to_verification(
        app, certified, admin_id):
    user_id, decision_id = certified("田中 一郎", date(2025, 3, 28))
    with app.app_context():
        profile = services.profile_of(db.session.get(User, user_id))
        profile.furigana = "たなか いちろう"
        db.session.commit()
        cert = _issue(decision_id, admin_id)
        assert cert.number == "2025-0001-3"  # fiscal year of issue, first serial
        assert cert.valid_until == date(2028, 3, 31)
        assert cert.holder_furigana == "たなか いちろう"
        text = pdf_text(cert.pdf)
        assert "田中 一郎" in text
        assert "令和7年3月28日" in text and "令和10年3月31日" in text
        assert "2025-03-28" in text and "2028-03-31" in text
        assert "たなか いちろう" in text
        assert "外国人支援コーディネーターとして認定したことを証する" in "".join(text.split())
        assert "出入国在留管理庁長官" in text
        assert cert.pdf_sha256 == pdf.sha256(cert.pdf)
        info = subprocess.run(["pdfinfo", "-"], input=cert.pdf, capture_output=True,
                              check=True).stdout.decode()
        assert "Pages:           1" in info and "(A4)" in info
        assert qr_text(cert.pdf) == f"http://lms.test/certificates/v/{cert.token}"
        assert len(cert.token) >= 40


def test_missing_font_is_an_error_not_a_pdf_of_boxes(app, certified, admin_id):
    _, decision_id = certified()
    app.config["CERT_FONT_FILE"] = "/nonexistent/ipaexm.ttf"
    with app.app_context(), pytest.raises(pdf.FontMissing):
        _issue(decision_id, admin_id)


def test_issue_once_per_decision_numbers_sequential_and_records(app, certified, admin_id):
    decisions = [certified(f"受講 {n}")[1] for n in range(3)]
    _, refused = certified("不認定 太郎", outcome=Outcome.NOT_CERTIFIED)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        assert {d.id for d in services.awaiting_issue()} == set(decisions)
        issued, skipped = services.issue_many(admin, decisions + [decisions[0], refused], TODAY)
        db.session.commit()
        assert [c.number for c in issued] == ["2025-0001-3", "2025-0002-1", "2025-0003-9"]
        assert [code for _, code in skipped] == ["already_issued", "not_certified"]
        assert services.awaiting_issue() == []
        assert db.session.scalar(select(db.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "certificate.first")) == 3
        statements = db.session.scalars(select(Statement.payload)).all()
        issued_statements = [s for s in statements if s["verb"]["display"]["en-US"] == "issued"]
        assert len(issued_statements) == 3
        assert all(s["actor"]["account"]["name"] == admin.public_id for s in issued_statements)
        assert db.session.scalar(select(db.func.count()).select_from(OutgoingMail)) == 3


def test_issuing_many_is_undone_by_the_callers_rollback(app, certified, admin_id):
    # Each certificate is issued in a savepoint; the batch is still the caller's transaction
    # (on SQLite too, where a savepoint opened outside a transaction would commit on release).
    decisions = [certified(f"受講 {n}")[1] for n in range(2)]
    with app.app_context():
        issued, _ = services.issue_many(db.session.get(User, admin_id), decisions, TODAY)
        assert len(issued) == 2
        db.session.rollback()
        assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == 0
        assert {d.id for d in services.awaiting_issue()} == set(decisions)


def test_certificates_share_one_font_configuration_and_stylesheet(app, certified, admin_id):
    decisions = [certified(f"受講 {n}")[1] for n in range(2)]
    with app.app_context():
        first = _issue(decisions[0], admin_id)
        shared = pdf._renderer
        second = _issue(decisions[1], admin_id)
        assert pdf._renderer is shared and shared.font_path == pdf.font_file()
        assert "受講 1" in pdf_text(second.pdf) and "受講 0" in pdf_text(first.pdf)


def test_issue_record_is_immutable(app, certified, admin_id):
    _, decision_id = certified()
    with app.app_context():
        cert = _issue(decision_id, admin_id)
        cert.holder_name = "別人"
        with pytest.raises(services.CertificateError):
            db.session.flush()
        db.session.rollback()


def test_reissue_supersedes_and_keeps_the_old_record(app, certified, admin_id):
    user_id, decision_id = certified("旧姓 花子")
    with app.app_context():
        old = _issue(decision_id, admin_id)
        db.session.get(User, user_id).name = "新姓 花子"
        admin = db.session.get(User, admin_id)
        new = services.reissue(admin, old, "氏名変更", date(2025, 5, 1))
        db.session.commit()
        assert new.kind == IssueKind.REISSUE and new.supersedes_id == old.id
        assert (new.certified_on, new.valid_until) == (old.certified_on, old.valid_until)
        assert old.holder_name == "旧姓 花子" and new.holder_name == "新姓 花子"
        assert services.status_of(old, date(2025, 5, 1)) == S.SUPERSEDED
        assert services.current_certificate(user_id).id == new.id
        assert "新姓 花子" in pdf_text(new.pdf)
        with pytest.raises(services.CertificateError):
            services.reissue(admin, old, "again", date(2025, 5, 2))


def test_revocation_keeps_the_record_and_answers_latest_revocation_date(
        app, certified, admin_id):
    user_id, decision_id = certified()
    with app.app_context():
        cert = _issue(decision_id, admin_id)
        assert services.latest_revocation_date(user_id) is None
        admin = db.session.get(User, admin_id)
        with pytest.raises(services.CertificateError):
            services.revoke(admin, cert, RevocationGround.OTHER, " ", date(2025, 6, 10))
        services.revoke(admin, cert, RevocationGround.DISQUALIFIED_LATER, "判決確定",
                        date(2025, 6, 10))
        db.session.commit()
        assert services.latest_revocation_date(user_id) == date(2025, 6, 10)
        assert services.status_of(cert, date(2025, 6, 11)) == S.REVOKED
        assert db.session.get(Certificate, cert.id) is not None
        statements = db.session.scalars(select(Statement.payload)).all()
        revoked = [s for s in statements if s["verb"]["display"]["en-US"] == "revoked"]
        assert revoked[0]["actor"]["account"]["name"] == admin.public_id


def test_renewal_before_expiry_runs_from_the_old_expiry_and_after_is_refused(
        app, certified, admin_id):
    user_id, decision_id = certified(decided_on=date(2025, 3, 28))
    with app.app_context():
        cert = _issue(decision_id, admin_id)
        holder = db.session.get(User, user_id)
        new = services.renew(holder, cert, date(2028, 1, 15))
        db.session.commit()
        assert new.valid_until == date(2031, 3, 31) and new.kind == IssueKind.RENEWAL
        with pytest.raises(services.CertificateError) as refused:
            services.renew(holder, new, date(2031, 4, 1))
        assert refused.value.code == "lapsed"


def test_two_administrators_issuing_at_once_issue_each_certificate_once(app, certified,
                                                                       admin_id, make_user):
    import threading

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("row locks and concurrent writers: PostgreSQL (LMS_TEST_DATABASE_URL)")
    decisions = [certified(f"同時 {n}")[1] for n in range(4)]
    other_admin = make_user("admin2@example.jp", Role.ADMIN)
    barrier = threading.Barrier(2)
    errors = []

    def click(actor_id):
        try:
            with app.app_context():
                barrier.wait(5)
                services.issue_many(db.session.get(User, actor_id), decisions, TODAY)
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - collected and reported
            errors.append(repr(exc))

    at_once(click, [(a,) for a in (admin_id, other_admin)])
    assert errors == []
    with app.app_context():
        numbers = db.session.scalars(select(Certificate.number)).all()
        assert len(numbers) == 4 and len(set(numbers)) == 4
