"""Administrators' LRS pages: the statement browser and the LRS clients (keys, trust)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.extensions import db
from lms.forms import ActionForm
from lms.lrs import browser, clients
from lms.lrs.forms import LrsClientForm, LrsTrustForm
from lms.lrs.models import LrsClient
from lms.security import Role, roles_required

# the same addresses as the xAPI pages (/admin/xapi/…): one section of the admin menu
bp = Blueprint("lrs_admin", __name__, url_prefix="/admin/xapi")

CLIENT_ERRORS = {
    "key_taken": lambda: _("A client with this key already exists."),
    "bad_key": lambda: _("The key may use letters, digits, '.', '_' and '-' (3 to 60)."),
    "no_scope": lambda: _("Choose read, write or both."),
    "name_required": lambda: _("Enter a name."),
    "bad_iri": lambda: _("Enter one IRI a line, without spaces, at most 500 characters."),
}


@bp.route("/statements")
@roles_required(Role.ADMIN)
def statements():
    form, page, error = browser.browse(request.args)
    return render_template("xapi/statements.html", form=form, page=page, error=error,
                           overview=browser.overview())


@bp.route("/clients", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def lrs_clients():
    form = LrsClientForm()
    created = None
    if form.validate_on_submit():
        try:
            client, secret = clients.create(current_user, form.name.data,
                                            key=form.key.data or None,
                                            read=form.can_read.data, write=form.can_write.data)
        except clients.ClientError as exc:
            flash(CLIENT_ERRORS[exc.code](), "error")
        else:
            db.session.commit()
            created = (client.key, secret)
            form = LrsClientForm(formdata=None)  # an empty form for the next one
    rows = clients.listing()
    usage = [(c.key, c.statements_written) for c in rows if c.revoked_at is None]
    return render_template("xapi/clients.html", form=form, rows=rows, created=created,
                           usage=usage, action_form=ActionForm(), trust_form=LrsTrustForm,
                           endpoint=url_for("lrs.about", _external=True).removesuffix("about"))


@bp.route("/clients/<int:client_id>/revoke", methods=["POST"])
@roles_required(Role.ADMIN)
def revoke_client(client_id: int):
    client = db.session.get(LrsClient, client_id) or abort(404)
    if ActionForm().validate_on_submit():
        clients.revoke(current_user, client)
        db.session.commit()
        flash(_("The credentials of %(key)s no longer work.", key=client.key), "success")
    return redirect(url_for("lrs_admin.lrs_clients"))


@bp.route("/clients/<int:client_id>/trust", methods=["POST"])
@roles_required(Role.ADMIN)
def trust_client(client_id: int):
    """Set the verbs and activities for which the client's statements count as evidence."""
    client = db.session.get(LrsClient, client_id) or abort(404)
    form = LrsTrustForm(prefix=f"t{client_id}")
    if form.validate_on_submit():
        try:
            clients.set_trust(current_user, client, form.verbs.data.splitlines(),
                              form.activities.data.splitlines())
        except clients.ClientError as exc:
            flash(CLIENT_ERRORS[exc.code](), "error")
        else:
            db.session.commit()
            flash(_("Saved which statements of %(key)s count as evidence.", key=client.key),
                  "success")
    return redirect(url_for("lrs_admin.lrs_clients"))
