"""The candidate's disqualification declaration (欠格事由の申告, §6(1)).

The trainee fills it in; afterwards their page says only that (and when) it was submitted:
its content is for the committee and administrators (the dossier, audited).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.certification import decisions, declarations
from lms.certification.blueprint import bp
from lms.certification.declarations import DeclarationInput
from lms.certification.forms import DeclarationForm
from lms.certification.models import Outcome
from lms.cohorts.services import current_enrolment
from lms.extensions import db
from lms.security import Role, roles_required


@bp.route("/declaration", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def declaration():
    enrolment = current_enrolment(current_user)
    decision = decisions.decision_of(enrolment) if enrolment else None
    closed = decision is not None and decision.outcome != Outcome.HOLD
    form = DeclarationForm()
    if enrolment is not None and not closed and form.validate_on_submit():
        declarations.submit(current_user, enrolment, DeclarationInput(
            form.ground_a.data, form.ground_b.data, form.ground_b_since.data,
            form.ground_c.data, form.ground_c_since.data, form.ground_d.data,
            form.ground_d_since.data))
        db.session.commit()
        flash(_("Your declaration was submitted."), "success")
        return redirect(url_for("certification.declaration"))
    submitted_at = declarations.submitted_on(enrolment) if enrolment else None
    return render_template("certification/declaration.html", form=form, enrolment=enrolment,
                           submitted_at=submitted_at, closed=closed)
