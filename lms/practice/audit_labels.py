"""How the audit log names practice reports, their reviews and deadline changes."""

from __future__ import annotations

from flask import url_for

from lms import audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import N_
from lms.practice.forms_cache import report_forms
from lms.practice.models import PracticeReport

audit.register_actions({
    "practice.review": N_("Report reviewed"),
    # a return was recorded twice before December 2026 (now one practice.review)
    "practice.return": N_("Returned for revision"),
    "practice.extension": N_("Deadline extended"),
    "practice.withdraw": N_("Treated as withdrawn"),
    "practice.reinstate": N_("Withdrawal undone"),
})
audit.register_values({
    "accepted": N_("Accepted"), "returned": N_("Returned for revision"),
    "progress": N_("Progress report"), "final": N_("Final report"), "goal": N_("Goal sheet"),
})


def _report(ident: str):
    row = db.session.get(PracticeReport, int(ident))
    if row is None:
        return None
    forms = report_forms()
    title = forms[row.kind].title if row.kind in forms else row.kind
    return (f"{db.session.get_one(User, row.user_id).name}: {title}",
            url_for("practice_staff.report", report_id=row.id))


audit.register_target("PracticeReport", _report)
