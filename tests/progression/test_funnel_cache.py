"""The administrator's funnel keeps each trainee's units under their progress version: a
second view computes no one again, a change computes only that trainee."""

from __future__ import annotations

from datetime import date

from lms.admin.services import programme_funnel
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.extensions import db
from lms.progression import services


def test_the_funnel_computes_only_the_trainees_whose_progress_changed(
        app, make_user, make_cohort, monkeypatch):
    ids = [make_user() for _ in range(3)]
    cohort_id = make_cohort(date(2026, 4, 1))
    later_id = make_cohort(date(2026, 10, 1), name="第2期")
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        for user_id in ids[:2]:
            enrol(None, cohort, db.session.get(User, user_id))
        db.session.commit()
    computed: list[set[int]] = []
    real = services.satisfied_for

    def counting(users):
        computed.append({u.id for u in users})
        return real(users)

    monkeypatch.setattr(services, "satisfied_for", counting)
    with app.test_request_context("/"):
        assert programme_funnel()[0] == ("stage:application", 2)
    with app.test_request_context("/"):
        assert programme_funnel()[0] == ("stage:application", 2)
    assert computed == [set(ids[:2])]
    with app.test_request_context("/"):
        enrol(None, db.session.get(Cohort, later_id), db.session.get(User, ids[2]))
        db.session.commit()  # the enrolment bumps the third trainee's version
    with app.test_request_context("/"):
        assert programme_funnel()[0] == ("stage:application", 3)
    assert computed == [set(ids[:2]), {ids[2]}]
