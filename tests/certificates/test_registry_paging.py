"""The registry one page at a time: status, count and page decided in the database."""

import re
from datetime import date, timedelta

import pytest

from lms.auth.models import User
from lms.certificates import registry, rules, services
from lms.certificates.models import Certificate, RevocationGround
from lms.certification.models import CertificationDecision
from lms.extensions import db
from lms.security import Role
from lms.timeutil import today_tokyo
from tests.conftest import text_of

#: certification dates spread so that every status occurs whatever today is
DECIDED = [date(2020, 5, 1), date(2023, 1, 10), date(2023, 6, 1), date(2024, 11, 1),
           date(2025, 9, 1)]


@pytest.fixture
def five(app, certified, make_user, monkeypatch):
    """Five issued certificates (one revoked, one reissued), two rows a page; the admin's
    e-mail address."""
    monkeypatch.setattr(registry, "PER_PAGE", 2)
    make_user("office@example.jp", Role.ADMIN, name="事務局")
    with app.app_context():
        admin_id = db.session.execute(
            db.select(User.id).filter_by(email="office@example.jp")).scalar_one()
    ids = []
    for n, decided in enumerate(DECIDED, 1):
        _, decision_id = certified(f"認定 {n}号", decided)
        with app.app_context():
            cert = services.issue(db.session.get(User, admin_id),
                                  db.session.get(CertificationDecision, decision_id),
                                  today_tokyo())
            db.session.commit()
            ids.append(cert.id)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        services.revoke(admin, db.session.get(Certificate, ids[3]),
                        RevocationGround.IMPROPER_MEANS, "虚偽申告", today_tokyo())
        services.reissue(admin, db.session.get(Certificate, ids[4]), "汚損", today_tokyo())
        db.session.commit()
    return "office@example.jp"


def _numbers(client, **args) -> list[str]:
    page = client.get("/admin/certificates/registry", query_string=args).text
    return re.findall(r">(\d{4}-\d{4}-\d)</a>", page)


def test_pages_newest_first_with_the_last_page_and_past_it(app, client, auth, five):
    auth.login(five)
    first, second, last = (_numbers(client, page=n) for n in (1, 2, 3))
    assert len(first) == len(second) == 2 and len(last) == 1
    assert len(set(first + second + last)) == 5  # the replaced certificate is not listed
    assert _numbers(client, page=99) == last
    page = text_of(client.get("/admin/certificates/registry", query_string={"page": 3}).text)
    assert "5件中 5–5件目" in page


def test_filters_stay_in_the_pager_links(app, client, auth, five):
    auth.login(five)
    html = client.get("/admin/certificates/registry", query_string={"q": "認定"}).text
    assert "page=2" in html and "q=%E8%AA%8D%E5%AE%9A" in html
    assert _numbers(client, q="認定 1号") and len(_numbers(client, q="認定 1号")) == 1


def test_nothing_matching_is_an_empty_page(app, client, auth, five):
    auth.login(five)
    page = text_of(client.get("/admin/certificates/registry", query_string={
        "q": "該当なし"}).text)
    assert _numbers(client, q="該当なし") == []
    assert "該当する認定者はいません" in page and "0件" in page


@pytest.mark.parametrize("status", [s.value for s in rules.CertificateStatus])
def test_each_status_filter_matches_the_status_rule(app, five, status):
    today = today_tokyo()
    with app.test_request_context():
        superseded = db.select(Certificate.supersedes_id).where(
            Certificate.supersedes_id.is_not(None))
        current = db.session.scalars(db.select(Certificate).where(
            Certificate.id.not_in(superseded))).all()
        expected = {c.number for c in current if services.status_of(c, today).value == status}
        found = set()
        for number in range(1, 4):
            page = registry.search(registry.RegistryQuery(status=status, page=number), today)
            found |= {row.cert.number for row in page.rows}
            assert all(row.state.value == status for row in page.rows)
        assert found == expected


def test_the_renewal_range_is_what_the_status_rule_says():
    """``renewal_due_through`` as one range equals ``status`` day by day, month ends too."""
    for months in (1, 6):
        for start in (date(2027, 8, 28), date(2028, 2, 25), date(2028, 9, 28)):
            for t in range(8):
                today = start + timedelta(days=t)
                through = rules.renewal_due_through(today, months)
                for v in range(-5, 220):
                    valid_until = today + timedelta(days=v)
                    due = rules.status(valid_until, today, window_months=months) \
                        == rules.CertificateStatus.RENEWAL_DUE
                    assert due == (today <= valid_until <= through), (today, valid_until)


def test_only_administrators_see_the_registry(app, client, auth, make_user):
    make_user("teacher@example.jp", Role.INSTRUCTOR)
    auth.login("teacher@example.jp")
    assert client.get("/admin/certificates/registry").status_code == 403
