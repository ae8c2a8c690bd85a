"""What reviewers read about one report or trainee: its enrolment, trainee and due dates.

The paged queue of a cohort is in ``queue``.

Decisions (accept, return, extend) are in ``services`` and ``deadlines``.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from lms.auth.models import User
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.practice import services
from lms.practice.forms_cache import report_forms
from lms.practice.models import PracticeReport


class Due(NamedTuple):
    """When one of a trainee's reports is due."""

    kind: str
    title: str
    due_on: date


def enrolment_of(report: PracticeReport) -> Enrolment:
    return db.session.get_one(Enrolment, report.enrolment_id)


def trainee_of(report: PracticeReport) -> User:
    return db.session.get_one(User, report.user_id)


def dues(enrolment: Enrolment) -> list[Due]:
    """When each of the trainee's reports is due, extensions and returns included."""
    forms = report_forms()
    return [Due(kind, forms[kind].title,
                services.due_on(enrolment, kind, services.report_for(enrolment, kind, False)))
            for kind in services.REPORT_KINDS]
