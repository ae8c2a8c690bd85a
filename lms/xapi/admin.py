"""Administrators' xAPI pages: one statement as stored, and forwarding to the external LRS.

The statement browser and the LRS clients are the LRS's own pages (:mod:`lms.lrs.admin`).
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.extensions import db
from lms.forms import ActionForm
from lms.security import Role, roles_required
from lms.xapi import forward, store

bp = Blueprint("xapi_admin", __name__, url_prefix="/admin/xapi")


@bp.route("/statements/<statement_id>")
@roles_required(Role.ADMIN)
def statement(statement_id: str):
    row = store.existing([statement_id]).get(statement_id) or abort(404)
    return render_template("xapi/statement.html", row=row, pending=forward.entry(row.seq),
                           pretty=json.dumps(row.payload, ensure_ascii=False, indent=2))


@bp.route("/forwarding")
@roles_required(Role.ADMIN)
def forwarding():
    return render_template("xapi/forwarding.html", state=forward.status(),
                           dead=forward.dead_letters(), action_form=ActionForm())


@bp.route("/forwarding/retry", methods=["POST"])
@roles_required(Role.ADMIN)
def retry_dead():
    if ActionForm().validate_on_submit():
        seq = request.form.get("seq", type=int)
        count = forward.retry_dead([seq] if seq else None)
        db.session.commit()
        flash(_("%(count)d statement(s) will be sent again.", count=count), "success")
    return redirect(url_for("xapi_admin.forwarding"))
