"""Certification readiness for the committee and the secretariat, read from the LRS."""

from __future__ import annotations

import json

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.auth.models import User
from lms.certification import readiness as service
from lms.certification import rules
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.security import Role, roles_required

bp = Blueprint("certification", __name__, url_prefix="/certification")

LABELS = {
    "quiz:group-a": _l("Group A test"), "quiz:group-b": _l("Group B test"),
    "quiz:group-c": _l("Group C test"), "quiz:group-d": _l("Group D test"),
    "quiz:group-e": _l("Group E test"), "quiz:comprehensive": _l("Comprehensive test"),
    "report:goal": _l("Goal sheet accepted"), "report:progress": _l("Progress report accepted"),
    "report:final": _l("Final report accepted"), "stage:course2": _l("Course 2 attended"),
    "quiz:certification": _l("Certification test"),
}

#: column headings of the cohort table (the full label is the abbreviation's title)
SHORT = {
    "quiz:group-a": _l("Test A"), "quiz:group-b": _l("Test B"), "quiz:group-c": _l("Test C"),
    "quiz:group-d": _l("Test D"), "quiz:group-e": _l("Test E"),
    "quiz:comprehensive": _l("Comprehensive"), "report:goal": _l("Goal"),
    "report:progress": _l("Progress"), "report:final": _l("Final"),
    "stage:course2": _l("Course 2"), "quiz:certification": _l("Certif. test"),
}


@bp.route("/readiness")
@roles_required(Role.ADMIN, Role.COMMITTEE)
def readiness():
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.training_start.desc())).all()
    cohort_id = request.args.get("cohort", type=int) or (cohorts[0].id if cohorts else None)
    cohort = db.session.get(Cohort, cohort_id) if cohort_id else None
    rows = []
    if cohort is not None:
        enrolments = db.session.execute(
            select(Enrolment, User).join(User, User.id == Enrolment.user_id)
            .where(Enrolment.cohort_id == cohort.id).order_by(User.name)).all()
        users = [u for _, u in enrolments]
        records = service.records_for(users, {u.id: e.registration for e, u in enrolments})
        for enrolment, user in enrolments:
            items = rules.evidence(records[user.id])
            rows.append((enrolment, user, items, rules.ready(items)))
    ready_count = sum(1 for *_, ok in rows if ok)
    met_counts = [(str(LABELS[r.key]), sum(1 for _, _, items, _ in rows if items[i].met))
                  for i, r in enumerate(rules.REQUIREMENTS)]
    return render_template("certification/readiness.html", cohorts=cohorts, cohort=cohort,
                           rows=rows, labels=LABELS, short=SHORT, requirements=rules.REQUIREMENTS,
                           ready_count=ready_count, met_counts=met_counts,
                           withdrawn=EnrolmentStatus.WITHDRAWN)


@bp.route("/readiness/<int:enrolment_id>")
@roles_required(Role.ADMIN, Role.COMMITTEE)
def evidence(enrolment_id: int):
    enrolment = db.session.get(Enrolment, enrolment_id) or abort(404)
    items = service.readiness(enrolment.user, enrolment.registration)
    return render_template("certification/evidence.html", enrolment=enrolment, items=items,
                           labels=LABELS, ready=rules.ready(items))


@bp.route("/statements/<statement_id>")
@roles_required(Role.ADMIN, Role.COMMITTEE)
def statement(statement_id: str):
    """One learning record as the committee weighs it (the evidence list links here)."""
    from lms.xapi.models import Statement

    row = db.session.execute(select(Statement).where(Statement.statement_id == statement_id)
                             ).scalar_one_or_none() or abort(404)
    return render_template("certification/statement.html", row=row,
                           pretty=json.dumps(row.payload, ensure_ascii=False, indent=2),
                           back=request.args.get("enrolment", type=int))
