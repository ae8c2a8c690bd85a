"""Applications' part in the programme: ``stage:application`` is the application accepted (受講
申込の受理), the first point of the programme, before course ①.

The rule: an enrolment satisfies it. Accepting an application enrols the applicant
(:func:`lms.applications.review.accept`), and a trainee whom the office enrolled without an
online application (the cohorts before applications moved online, the demo trainees) was
accepted all the same, so nobody enrolled is ever locked out by this stage.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import select, union

from lms.applications.models import Application, ApplicationStatus
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.progression import registry

UNIT = "stage:application"


def satisfied(users: Sequence) -> dict[int, set[str]]:
    """One query for any number of people: enrolled, or their application accepted."""
    ids = [u.id for u in users]
    accepted = set(db.session.scalars(union(
        select(Enrolment.user_id).where(Enrolment.user_id.in_(ids)),
        select(Application.user_id).where(Application.user_id.in_(ids),
                                          Application.status == ApplicationStatus.ACCEPTED))))
    return {u.id: ({UNIT} if u.id in accepted else set()) for u in users}


def title(unit: str) -> str:
    return _("Application accepted")


def milestone_label(unit: str) -> str:
    return _("Accepted trainees (application or enrolment)")


def register() -> None:
    registry.register(registry.Stage("application", (UNIT,), satisfied, title=title,
                                     milestones=(UNIT,), milestone_label=milestone_label))
