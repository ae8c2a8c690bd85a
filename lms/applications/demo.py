"""Demo applications: an open cohort with one application in every state (draft, submitted and
eligible, submitted and not eligible, returned, accepted). Flushes only."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app

from lms.applications import evidence, review
from lms.applications.models import (
    Application,
    EvidenceFile,
    ExperiencePeriod,
    PostRole,
    Qualification,
)
from lms.applications.services import application_for, refresh_verdict, submit
from lms.auth.models import User
from lms.cohorts.services import create_cohort
from lms.extensions import db

#: a one-page PDF standing in for a 在職証明書 or 登録証の写し
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")

#: (e-mail, name, furigana, what happens to the application)
APPLICANTS = [
    ("applicant1@demo.example", "申込 一子", "モウシコミ\u3000イチコ", "draft"),
    ("applicant2@demo.example", "申込 二郎", "モウシコミ\u3000ジロウ", "eligible"),
    ("applicant3@demo.example", "申込 三枝", "モウシコミ\u3000サエ", "not_eligible"),
    ("applicant4@demo.example", "申込 四季", "モウシコミ\u3000シキ", "returned"),
    ("applicant5@demo.example", "申込 五郎", "モウシコミ\u3000ゴロウ", "accepted"),
]


def _evidence(row: Application) -> EvidenceFile:
    path = evidence.store(current_app.config["UPLOAD_DIR"], row.id, "application/pdf", DEMO_PDF)
    file = EvidenceFile(application_id=row.id, original_name="在職証明書.pdf",
                        content_type="application/pdf", size=len(DEMO_PDF), stored_path=path)
    db.session.add(file)
    return file


def seed(today: date, admin: User, password: str) -> None:
    """Create the open cohort 2027年度 第1期 and its applicants (no role until accepted)."""
    start = today + timedelta(days=60)
    from lms.demo import cohort_dates

    cohort = create_cohort(admin, "2027年度 第1期", 60, {
        **cohort_dates(start), "applications_open": today - timedelta(days=7),
        "applications_close": today + timedelta(days=21)})
    for email, name, furigana, fate in APPLICANTS:
        user = User(email=email, name=name)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        row = application_for(user, cohort, today)
        row.full_name, row.furigana, row.prefecture = name, furigana, "神奈川県"
        row.organisation = "横浜市 多文化共生総合相談センター"
        row.post_desk, row.post_role = "1-1", PostRole.HANDLES
        if fate == "draft":
            row.post_desk = None
            db.session.flush()
            refresh_verdict(row)
            continue
        days = 142 if fate == "not_eligible" else 400
        begun = start - timedelta(days=300 if fate == "not_eligible" else 900)
        row.periods.append(ExperiencePeriod(
            desk="2-2", organisation="横浜市国際交流協会", start_on=begun, ongoing=True,
            days_worked=days, evidence=_evidence(row)))
        if fate == "accepted":
            row.qualifications.append(Qualification(
                name="社会福祉士", registration_number="第123456号",
                registered_on=date(2015, 4, 1), evidence=_evidence(row)))
        db.session.flush()
        submit(row, today)
        if fate == "returned":
            review.return_for_correction(
                admin, row, "在職証明書に従事日数の記載がありません。記載のある証明書を添付して"
                "ください。", today + timedelta(days=7), today)
        elif fate == "accepted":
            review.accept(admin, row)
    db.session.flush()
