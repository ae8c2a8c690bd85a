"""Office pages: the cohort's trainee table (who needs a nudge), a trainee's page, the
programme view across cohorts."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.office import (
    exports,  # noqa: F401  (registers the office's tables)
    programme,
    rules,
    services,
    timeline,
)
from lms.office.labels import context as label_context
from lms.office.table import cohorts, selected_rows, table_filters
from lms.security import Role, roles_required
from lms.templating import _locale
from lms.timeutil import today_tokyo

bp = Blueprint("office", __name__, url_prefix="/admin/office")

PAGE_SIZE = 50


@bp.route("/")
@roles_required(Role.ADMIN)
def trainees():
    filters = table_filters(request.args)
    cohort, every, chosen = selected_rows(filters)
    page = max(request.args.get("page", 1, type=int), 1)
    shown = chosen[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    counts = {flag: sum(1 for r in every if flag in r.flags) for flag in rules.FLAGS}
    return render_template("office/trainees.html", cohorts=cohorts(), cohort=cohort,
                           filters=filters, rows=shown, total=len(chosen), page=page,
                           pages=max(1, -(-len(chosen) // PAGE_SIZE)), counts=counts,
                           overdue=rules.overdue_by_deadline(every), flags=rules.FLAGS,
                           sort_keys=rules.SORT_KEYS)


@bp.route("/trainees/<int:enrolment_id>")
@roles_required(Role.ADMIN)
def trainee(enrolment_id: int):
    enrolment = db.session.get(Enrolment, enrolment_id) or abort(404)
    row = next(r for r in services.cohort_rows(enrolment.cohort, today_tokyo())
               if r.enrolment_id == enrolment.id)
    return render_template("office/trainee.html", enrolment=enrolment, row=row,
                           user=enrolment.user,
                           entries=timeline.timeline(enrolment.user, _locale()),
                           records=timeline.records(enrolment.user, enrolment.id))


@bp.route("/programme")
@roles_required(Role.ADMIN)
def programme_view():
    return render_template("office/programme.html", sections=programme.sections())


@bp.context_processor
def _labels():
    return label_context()
