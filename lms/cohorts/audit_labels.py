"""How the audit log names cohorts and enrolments."""

from __future__ import annotations

from flask import url_for

from lms import audit
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.i18n import N_

audit.register_actions({
    "cohort.create": N_("Cohort created"),
    "cohort.update": N_("Cohort changed"),
    "cohort.enrol": N_("Trainee enrolled"),
})


def _enrolment(ident: str):
    row = db.session.get(Enrolment, int(ident))
    if row is None:
        return None
    return (f"{row.user.name}（{row.cohort.name}）",
            url_for("office.trainee", enrolment_id=row.id))


def _cohort(ident: str):
    row = db.session.get(Cohort, int(ident))
    return (row.name, url_for("cohorts.detail", cohort_id=row.id)) if row else None


audit.register_target("Enrolment", _enrolment)
audit.register_target("Cohort", _cohort)
