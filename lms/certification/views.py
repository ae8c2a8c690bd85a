"""Certification readiness and each candidate's dossier with the committee's votes.

The other committee pages add their routes to the same blueprint: the certification test's
results (:mod:`.test_views`), item review (:mod:`.item_views`) and the candidate's
declaration (:mod:`.declaration_views`).
"""

from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from lms.auth.models import User
from lms.certification import (  # noqa: F401 (routes)
    decisions,
    declaration_views,
    declarations,
    item_views,
    programme,
    rules,
    test_views,
    testresults,
)
from lms.certification.blueprint import bp
from lms.certification.forms import VoteForm
from lms.certification.models import Outcome
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.progression.messages import unit_title
from lms.security import Role, roles_required

__all__ = ["bp"]

bp.record_once(lambda state: programme.register())  # its part of the programme

def requirement_labels(requirements) -> dict[str, str]:
    """Each requirement's label: ours for the sample programme's, else the unit's title."""
    return {r.key: programme.LABELS.get(r.key) or unit_title(r.key) for r in requirements}


VOTE_ERRORS = {
    "not_a_member": _l("Only committee members vote."),
    "reason_required": _l("Give the reason for your vote."),
    "already_decided": _l("The committee has already made its final decision."),
    "withdrawn": _l("A withdrawn trainee cannot be certified."),
    "not_ready": _l("Not every requirement is shown yet, so the trainee cannot be certified."),
    "no_declaration": _l("The trainee has not submitted the disqualification declaration."),
    "disqualified": _l("A ground for disqualification applies, so the trainee cannot be "
                       "certified."),
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
        evidence = testresults.evidence_for([(e, u) for e, u in enrolments])
        for enrolment, user in enrolments:
            items = evidence[enrolment.id]
            withdrawn = enrolment.status == EnrolmentStatus.WITHDRAWN
            rows.append((enrolment, user, items, rules.ready_for_decision(items, withdrawn)))
    ready_count = sum(1 for *_, ok in rows if ok)
    requirements = programme.requirements()
    labels = requirement_labels(requirements)
    met_counts = [(str(labels[r.key]), sum(1 for _, _, items, _ in rows if items[i].met))
                  for i, r in enumerate(requirements)]
    short = {r.key: programme.SHORT.get(r.key, labels[r.key]) for r in requirements}
    return render_template("certification/readiness.html", cohorts=cohorts, cohort=cohort,
                           rows=rows, labels=labels, short=short, requirements=requirements,
                           ready_count=ready_count, met_counts=met_counts,
                           withdrawn=EnrolmentStatus.WITHDRAWN)


@bp.route("/readiness/<int:enrolment_id>")
@roles_required(Role.ADMIN, Role.COMMITTEE)
def evidence(enrolment_id: int):
    """The candidate's dossier: evidence, test decision, declaration, votes and decision."""
    enrolment = db.session.get(Enrolment, enrolment_id) or abort(404)
    standing = decisions.standing(enrolment)
    declaration = declarations.read(current_user, enrolment)  # audited
    db.session.commit()
    test = testresults.decided_tests([enrolment]).get(enrolment.id)
    attempt = testresults.certification_attempts([enrolment]).get(enrolment.id)
    return render_template(
        "certification/evidence.html", enrolment=enrolment, standing=standing,
        items=standing.evidence,
        labels=requirement_labels([e.requirement for e in standing.evidence]),
        ready=standing.ready, test=test,
        attempt=attempt, declaration=declaration, votes=decisions.votes_of(enrolment),
        decision=decisions.decision_of(enrolment), form=VoteForm(), errors=VOTE_ERRORS,
        member=current_user.has_role(Role.COMMITTEE))


@bp.route("/readiness/<int:enrolment_id>/vote", methods=["POST"])
@roles_required(Role.COMMITTEE)
def vote(enrolment_id: int):
    enrolment = db.session.get(Enrolment, enrolment_id) or abort(404)
    form = VoteForm()
    if form.validate_on_submit():
        try:
            decided = decisions.vote(current_user, enrolment, Outcome(form.outcome.data),
                                     form.reason.data or "")
        except decisions.DecisionError as exc:
            db.session.rollback()
            flash(str(VOTE_ERRORS[exc.code]), "error")
        else:
            db.session.commit()
            flash(_("Your vote was recorded."), "success")
            if decided is not None:
                flash(_("A quorum agreed: the committee's decision is recorded."), "success")
    return redirect(url_for("certification.evidence", enrolment_id=enrolment.id))


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
