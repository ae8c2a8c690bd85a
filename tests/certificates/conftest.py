"""Certified trainees made directly (the committee's decision row), for certificate tests."""

from datetime import date

import pytest

from lms.auth.models import User
from lms.certification.models import CertificationDecision, Outcome
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.extensions import db


def certify(user_id: int, cohort_id: int, decided_on: date,
            outcome: Outcome = Outcome.CERTIFIED) -> int:
    """Enrol the user and record the committee's decision; return the decision's id (in an
    app context; commits)."""
    enrolment = enrol(None, db.session.get(Cohort, cohort_id), db.session.get(User, user_id))
    db.session.flush()
    decision = CertificationDecision(enrolment_id=enrolment.id, outcome=outcome,
                                     decided_on=decided_on, rule_version="2025-02-27")
    db.session.add(decision)
    db.session.commit()
    return decision.id


@pytest.fixture
def certified(app, make_user, make_cohort):
    """Factory: ``certified("name", date)`` → (user id, decision id) of a certified trainee."""
    cohort_ids: list[int] = []

    def factory(name: str = "田中 一郎", decided_on: date = date(2025, 3, 28),
                email: str | None = None, outcome: Outcome = Outcome.CERTIFIED):
        if not cohort_ids:
            cohort_ids.append(make_cohort(date(2024, 6, 1)))
        user_id = make_user(email, name=name)
        with app.app_context():
            return user_id, certify(user_id, cohort_ids[0], decided_on, outcome)

    return factory
