"""Administrators' view of the learning records: statement browser, LRS clients, forwarding."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select, text

from lms.auth.models import User
from lms.extensions import db
from lms.forms import ActionForm
from lms.lrs import clients, query
from lms.lrs.models import LrsClient
from lms.lrs.protocol import LrsError
from lms.security import Role, roles_required
from lms.timeutil import TOKYO, today_tokyo
from lms.xapi import forward, vocab
from lms.xapi.forms import LrsClientForm, LrsTrustForm
from lms.xapi.models import OutboxEntry, Statement
from lms.xapi.recorder import actor_for

bp = Blueprint("xapi_admin", __name__, url_prefix="/admin/xapi")

BROWSER_FILTERS = ("agent", "verb", "activity", "registration", "since", "until",
                   "related_activities", "related_agents", "ascending")
CLIENT_ERRORS = {
    "key_taken": lambda: _("A client with this key already exists."),
    "bad_key": lambda: _("The key may use letters, digits, '.', '_' and '-' (3 to 60)."),
    "no_scope": lambda: _("Choose read, write or both."),
    "name_required": lambda: _("Enter a name."),
    "bad_iri": lambda: _("Enter one IRI a line, without spaces, at most 500 characters."),
}


def _agent_param(value: str) -> str:
    """Accept an LMS user's e-mail address as well as an xAPI agent in JSON."""
    value = value.strip()
    if "@" in value and not value.startswith("{"):
        user = db.session.execute(select(User).where(User.email == value.lower())
                                  ).scalar_one_or_none()
        if user is None:
            raise LrsError(400, _("No account has the e-mail address %(email)s.", email=value))
        return json.dumps(actor_for(user))
    return value


def _day_start(value: str, end: bool) -> str:
    """A date from the form as the start (or, for until, the end) of that day in Tokyo."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise LrsError(400, _("Enter dates as YYYY-MM-DD.")) from None
    start = datetime.combine(day + timedelta(days=1) if end else day, time(), TOKYO)
    return start.isoformat()


def _registration(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise LrsError(400, _("A registration is a UUID, as shown on the statement.")) from None


@bp.route("/statements")
@roles_required(Role.ADMIN)
def statements():
    form = {k: request.args.get(k, "").strip() for k in BROWSER_FILTERS}
    params = {k: v for k, v in form.items() if v and k not in ("related_activities",
                                                              "related_agents", "ascending")}
    for flag in ("related_activities", "related_agents", "ascending"):
        if form[flag]:
            params[flag] = "true"
    params["limit"] = "50"
    page, error = None, None
    try:
        for name in ("since", "until"):
            if name in params:
                params[name] = _day_start(params[name], end=name == "until")
        if "registration" in params:
            params["registration"] = _registration(params["registration"])
        if "agent" in params:
            params["agent"] = _agent_param(params["agent"])
        if request.args.get("more"):
            params = {"more": request.args["more"]}
        page, _params = query.search(params)
    except LrsError as exc:
        error = _("The filter could not be used: %(reason)s", reason=exc.message)
    total = db.session.scalar(select(func.count()).select_from(Statement))
    return render_template("xapi/statements.html", form=form, page=page, error=error,
                           total=total, verbs=known_verbs(), per_day=statements_per_day(),
                           per_verb=statements_per_verb())


def known_verbs() -> list[vocab.Verb]:
    """Every verb of the LMS's vocabulary, for the filter's suggestions."""
    found = {v.id: v for v in vars(vocab).values() if isinstance(v, vocab.Verb)}
    return sorted(found.values(), key=lambda v: v.ja)


def statements_per_verb(days: int = 14, most: int = 8) -> list[tuple[str, int]]:
    """The most frequent verbs of the last *days* days, by their Japanese display."""
    since = datetime.combine(today_tokyo() - timedelta(days=days - 1), time(), TOKYO)
    rows = db.session.execute(
        select(Statement.verb_id, func.count()).where(Statement.stored_at >= since)
        .group_by(Statement.verb_id).order_by(func.count().desc()).limit(most)).all()
    names = {v.id: v.ja for v in known_verbs()}
    return [(names.get(verb, verb.rsplit("/", 1)[-1]), n) for verb, n in rows]


def statements_per_day(days: int = 14) -> list[tuple[str, int]]:
    """Statements stored on each of the last *days* days (Tokyo dates), oldest first."""
    today = today_tokyo()
    since = datetime.combine(today - timedelta(days=days - 1), time(), TOKYO)
    # stored_at is naive UTC; Japan keeps no daylight saving, so a Tokyo day is UTC + 9 h
    if db.engine.dialect.name == "postgresql":
        day = func.to_char(Statement.stored_at + text("interval '9 hours'"), "YYYY-MM-DD")
    else:
        day = func.date(Statement.stored_at, "+9 hours")
    counts = dict(db.session.execute(select(day, func.count()).where(
        Statement.stored_at >= since).group_by(day)).all())
    return [((d := today - timedelta(days=n)).strftime("%m/%d"), counts.get(d.isoformat(), 0))
            for n in range(days - 1, -1, -1)]


@bp.route("/statements/<statement_id>")
@roles_required(Role.ADMIN)
def statement(statement_id: str):
    row = db.session.execute(select(Statement).where(Statement.statement_id == statement_id)
                             ).scalar_one_or_none() or abort(404)
    pending = db.session.get(OutboxEntry, row.seq)
    return render_template("xapi/statement.html", row=row, pending=pending,
                           pretty=json.dumps(row.payload, ensure_ascii=False, indent=2))


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
    rows = db.session.scalars(select(LrsClient).order_by(LrsClient.revoked_at.is_not(None),
                                                         LrsClient.id)).all()
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
    return redirect(url_for("xapi_admin.lrs_clients"))


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
    return redirect(url_for("xapi_admin.lrs_clients"))


@bp.route("/forwarding")
@roles_required(Role.ADMIN)
def forwarding():
    state = forward.status()
    dead = db.session.execute(
        select(OutboxEntry, Statement).join(Statement, Statement.seq == OutboxEntry.statement_seq)
        .where(OutboxEntry.dead_at.is_not(None)).order_by(OutboxEntry.statement_seq).limit(100)
    ).all()
    return render_template("xapi/forwarding.html", state=state, dead=dead,
                           action_form=ActionForm())


@bp.route("/forwarding/retry", methods=["POST"])
@roles_required(Role.ADMIN)
def retry_dead():
    if ActionForm().validate_on_submit():
        seq = request.form.get("seq", type=int)
        count = forward.retry_dead([seq] if seq else None)
        db.session.commit()
        flash(_("%(count)d statement(s) will be sent again.", count=count), "success")
    return redirect(url_for("xapi_admin.forwarding"))
