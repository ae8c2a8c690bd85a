"""The committee decides the certification test (§6(2)ア 合否): scores, item analysis, and one
form deciding a whole cohort, with exceptions noted."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from lms.assessment import analysis
from lms.assessment.models import QuizAttempt
from lms.assessment.quizfile import Question
from lms.auth.models import User
from lms.certification import testresults
from lms.certification.blueprint import bp
from lms.certification.models import CertificationTestDecision
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.security import Role, roles_required

TEST_ERRORS = {
    "not_a_member": _l("Only committee members decide."),
    "no_attempt": _l("This trainee has not taken the certification test."),
    "already_decided": _l("The committee has already decided this result."),
    "note_required": _l("Note why the decision differs from the proposed result."),
}


def _cohort() -> tuple[list[Cohort], Cohort | None]:
    cohorts = list(db.session.scalars(select(Cohort).order_by(Cohort.training_start.desc())))
    cohort_id = request.values.get("cohort", type=int) or (cohorts[0].id if cohorts else None)
    return cohorts, db.session.get(Cohort, cohort_id) if cohort_id else None


def _enrolments(cohort: Cohort) -> list[tuple[Enrolment, User]]:
    return [(enrolment, user) for enrolment, user in db.session.execute(
        select(Enrolment, User).join(User, User.id == Enrolment.user_id)
        .where(Enrolment.cohort_id == cohort.id).order_by(User.name)).all()]


@bp.route("/tests")
@roles_required(Role.COMMITTEE, Role.ADMIN)
def tests():
    cohorts, cohort = _cohort()
    rows: list[tuple[Enrolment, User, QuizAttempt, CertificationTestDecision | None]] = []
    stats: list[analysis.ItemStats] = []
    questions: dict[str, Question] = {}
    if cohort is not None:
        pairs = _enrolments(cohort)
        enrolments = [e for e, _u in pairs]
        attempts = testresults.certification_attempts(enrolments)
        decided = testresults.decided_tests(enrolments)
        rows = [(e, u, attempts[e.id], decided.get(e.id)) for e, u in pairs if e.id in attempts]
        stats, questions = analysis.of_attempts([a for _e, _u, a, _d in rows])
    pending = sum(1 for e, _u, _a, d in rows
                  if d is None and e.status != EnrolmentStatus.WITHDRAWN)
    return render_template("certification/tests.html", cohorts=cohorts, cohort=cohort,
                           rows=rows, stats=stats, questions=questions, pending=pending,
                           withdrawn=EnrolmentStatus.WITHDRAWN,
                           member=current_user.has_role(Role.COMMITTEE))


@bp.route("/tests", methods=["POST"])
@roles_required(Role.COMMITTEE)
def decide_tests():
    """Decide every listed result: each row's choice (the proposal unless changed) and note."""
    _cohorts, cohort = _cohort()
    if cohort is None:
        return redirect(url_for("certification.tests"))
    pairs = _enrolments(cohort)
    choices = {}
    for enrolment, _user in pairs:
        choice = request.form.get(f"result-{enrolment.id}")
        if choice in ("pass", "fail"):
            choices[enrolment.id] = (choice == "pass",
                                     request.form.get(f"note-{enrolment.id}", ""))
    names = {e.id: u.name for e, u in pairs}
    try:
        count = testresults.decide_cohort(
            current_user, [e for e, _u in pairs if e.id in choices], choices)
    except testresults.DecisionError as exc:
        db.session.rollback()
        flash(str(TEST_ERRORS[exc.code]), "error")
        failed = exc.enrolment_id
        if failed in names:
            flash(names[failed], "error")
    else:
        db.session.commit()
        flash(_("%(n)d results decided.", n=count), "success")
    return redirect(url_for("certification.tests", cohort=cohort.id))
