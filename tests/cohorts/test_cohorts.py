"""Administrators create cohorts and enrol trainees; capacity is never exceeded."""

from datetime import date

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.cohorts import services
from lms.cohorts.models import Cohort, Enrolment
from lms.demo import cohort_dates
from lms.extensions import db
from lms.security import Role
from tests.conftest import text_of

START = date(2027, 4, 1)


def form_data(name="第9期", capacity=60, **overrides):
    data = {k: v.isoformat() for k, v in cohort_dates(START).items()}
    data.update(name=name, capacity=str(capacity), **overrides)
    return data


@pytest.fixture
def admin(make_user, auth):
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")


def test_admin_creates_a_cohort_and_it_is_audited(app, client, admin):
    response = client.post("/admin/cohorts/new", data=form_data())
    assert response.status_code == 302
    with app.app_context():
        cohort = db.session.execute(sa.select(Cohort)).scalar_one()
        assert cohort.final_report_due == cohort_dates(START)["final_report_due"]
        assert cohort.capacity == 60
        actions = db.session.execute(sa.select(AuditEvent.action)).scalars().all()
        assert "cohort.create" in actions


def test_dates_out_of_order_are_refused_with_a_message(app, client, admin):
    data = form_data(course1_end="2027-03-01")
    page = client.post("/admin/cohorts/new", data=data)
    assert "日付の順序が正しくありません" in text_of(page.text)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)) == 0


def test_enrolment_refuses_a_full_cohort_and_duplicates(app, make_user, make_cohort):
    cohort_id = make_cohort(START, capacity=2)
    trainees = [make_user(None, Role.TRAINEE) for _ in range(3)]
    instructor = make_user(None, Role.INSTRUCTOR)
    with app.app_context():
        from lms.auth.models import User

        cohort = db.session.get(Cohort, cohort_id)
        people = [db.session.get(User, t) for t in trainees]
        services.enrol(None, cohort, people[0])
        with pytest.raises(services.CohortError, match="already_enrolled"):
            services.enrol(None, cohort, people[0])
        services.enrol(None, cohort, people[1])
        with pytest.raises(services.CohortError, match="full"):
            services.enrol(None, cohort, people[2])
        with pytest.raises(services.CohortError, match="not_trainee"):
            services.enrol(None, cohort, db.session.get(User, instructor))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 2


def test_enrol_through_the_page(app, client, admin, make_user, make_cohort):
    cohort_id = make_cohort(START)
    make_user("t@example.jp", Role.TRAINEE)
    page = client.post(f"/admin/cohorts/{cohort_id}",
                       data={"email": "t@example.jp"}, follow_redirects=True)
    assert "登録しました" in text_of(page.text)
    unknown = client.post(f"/admin/cohorts/{cohort_id}", data={"email": "x@example.jp"})
    assert "このメールアドレスのアカウントはありません" in text_of(unknown.text)


def test_database_refuses_a_reversed_window(app, make_cohort):
    cohort_id = make_cohort(START)
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        cohort.course1_end = date(2020, 1, 1)
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
