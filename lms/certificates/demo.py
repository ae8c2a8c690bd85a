"""Demo certificate holders (``flask lms demo``): one valid with a downloadable certificate and
a consenting organisation, one in the renewal window, one revoked, one lapsed.

Their committee decisions are made directly (the committee's own demo is the certification
package's). Password: the demo password; see the README for what to open.
"""

from __future__ import annotations

from datetime import date, timedelta

from lms.auth.models import User
from lms.auth.services import NewAccount, create_account
from lms.certificates import daily, rules, services
from lms.certificates.models import RevocationGround
from lms.certification.models import CertificationDecision, Outcome
from lms.cohorts.services import create_cohort, enrol
from lms.extensions import db
from lms.security import Role

#: (e-mail, name, furigana, organisation, prefecture, consents to the organisation list)
HOLDERS = [
    ("holder-valid@demo.example", "小林 誠", "こばやし まこと", "豊橋市国際交流協会", "愛知県",
     True),
    ("holder-renewal@demo.example", "中村 さくら", "なかむら さくら", "横浜市多文化共生相談窓口",
     "神奈川県", False),
    ("holder-revoked@demo.example", "加藤 健一", "かとう けんいち", "さいたま外国人支援ネット",
     "埼玉県", True),
    ("holder-lapsed@demo.example", "吉田 真理", "よしだ まり", "", "福岡県", False),
]


def seed(today: date, admin: User, password: str) -> None:
    """Create the holders, their decisions and certificates as of *today*; flushes only."""
    fy = rules.fiscal_year(today)
    # The decision dates give each holder the status wanted today: valid until the end of the
    # current fiscal year (in the renewal window from 1 October), long valid, lapsed.
    decided = {
        "holder-valid@demo.example": today - timedelta(days=60),
        "holder-renewal@demo.example": date(fy - 3, 10, 1),
        "holder-revoked@demo.example": today - timedelta(days=400),
        "holder-lapsed@demo.example": date(fy - 4, 10, 1),
    }
    cohort = create_cohort(admin, "認定者（デモ）", 60, _dates(date(fy - 4, 5, 1)))
    for email, name, furigana, organisation, prefecture, consent in HOLDERS:
        holder = create_account(None, NewAccount(email, name, frozenset({Role.TRAINEE})),
                                password=password)
        profile = services.profile_of(holder)
        profile.furigana, profile.organisation = furigana, organisation
        profile.prefecture, profile.list_consent = prefecture, consent
        enrolment = enrol(admin, cohort, holder)
        db.session.flush()
        decision = CertificationDecision(
            enrolment_id=enrolment.id, outcome=Outcome.CERTIFIED, decided_on=decided[email],
            rule_version=rules.RULE_VERSION, decided_by_id=admin.id)
        db.session.add(decision)
        db.session.flush()
        cert = services.issue(admin, decision, min(today, decided[email] + timedelta(days=14)))
        if email == "holder-revoked@demo.example":
            services.revoke(admin, cert, RevocationGround.DISQUALIFIED_LATER,
                            "デモ: 認定後に入管法違反で罰金刑が確定", today - timedelta(days=30))
    daily.run(today)  # the lapsed holder's certificate lapses; reminders go out


def _dates(start: date) -> dict[str, date]:
    from lms.demo import cohort_dates

    return cohort_dates(start)
