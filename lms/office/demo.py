"""Demo data for the office pages: a trainee who needs a nudge (overdue in the earlier cohort)."""

from __future__ import annotations

from datetime import date

from lms.auth.services import NewAccount, create_account, find_user
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.extensions import db
from lms.security import Role

OVERDUE_EMAIL = "trainee-overdue@demo.example"


def seed(today: date, password: str) -> None:
    """The overdue trainee is in the cohort already in practice but watched only group A and never
    passed the comprehensive test: overdue on course ①'s end and on the goal sheet."""
    from lms.demo import _watch  # here: lms.demo imports this module

    admin = find_user("admin@demo.example")
    earlier = db.session.execute(db.select(Cohort).filter_by(name="2026年度 第1期")).scalar_one()
    trainee = create_account(None, NewAccount(OVERDUE_EMAIL, "受講生 中村 久美",
                                              frozenset({Role.TRAINEE})), password=password)
    enrol(admin, earlier, trainee)
    _watch(trainee, {"A"})
