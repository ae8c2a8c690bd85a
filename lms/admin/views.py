"""Administration pages: dashboard, people, audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.admin import (
    audit_export,  # noqa: F401  (registers the audit log's export)
    services,
)
from lms.admin.forms import NewUserForm, TimeAccommodationForm, UserForm
from lms.assessment import services as quizzes
from lms.audit.labels import action_choices
from lms.audit.query import PAGE_SIZE, AuditFilter, actors, audit_page
from lms.auth import services as accounts
from lms.auth.models import User
from lms.extensions import db
from lms.forms import ActionForm
from lms.progression import registry
from lms.progression.messages import unit_title
from lms.security import Role, roles_required
from lms.templating import ROLE_LABELS

bp = Blueprint("admin", __name__, url_prefix="/admin")

FUNNEL_LABELS = {
    "withdrawn": _l("Withdrawn"),
}


def funnel_label(key: str) -> str:
    """A funnel point's label: a programme unit reached (a test passed, a stage completed)."""
    if key in FUNNEL_LABELS:
        return str(FUNNEL_LABELS[key])
    if (label := registry.milestone_label(key)) is not None:
        return label
    if key.startswith("quiz:"):
        return _("Passed “%(title)s”", title=unit_title(key))
    return _("Completed “%(title)s”", title=unit_title(key))


ACCOUNT_ERRORS = {
    "email_taken": lambda: _("An account with this e-mail address already exists."),
    "cannot_demote_self": lambda: _("You cannot remove your own administrator role or "
                                    "deactivate yourself."),
}


@bp.route("/")
@roles_required(Role.ADMIN)
def dashboard():
    stats = services.dashboard_stats()
    role_rows = [(str(ROLE_LABELS[role]), count) for role, count in stats["by_role"]]
    funnel = [(funnel_label(key), n) for key, n in services.programme_funnel()]
    return render_template("admin/dashboard.html", stats=stats, role_rows=role_rows,
                           funnel=funnel)


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():
    role = request.args.get("role") or None
    query = request.args.get("q", "").strip()
    people = services.users_page(role, query, max(1, request.args.get("page", 1, type=int)))
    filters = {k: v for k, v in (("q", query), ("role", role)) if v}
    return render_template("admin/users.html", people=people, role=role, q=query,
                           filters=filters, action_form=ActionForm())


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        new = accounts.NewAccount(form.email.data, form.name.data,
                                  frozenset(Role(r) for r in form.roles.data), form.locale.data)
        try:
            user = accounts.create_account(current_user, new)
        except accounts.AccountError as exc:
            form.email.errors.append(ACCOUNT_ERRORS[exc.code]())
        else:
            db.session.commit()
            flash(_("Account created; an invitation was sent to %(email)s.", email=user.email),
                  "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.roles.data = sorted(r.value for r in user.roles)
    if form.validate_on_submit():
        try:
            accounts.update_account(current_user, user, form.name.data,
                                    {Role(r) for r in form.roles.data}, form.active.data)
        except accounts.AccountError as exc:
            flash(ACCOUNT_ERRORS[exc.code](), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/time-accommodation", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def time_accommodation(user_id: int):
    """Extra time on timed tests for one trainee, on request (WCAG 2.2.1); audited."""
    user = db.session.get(User, user_id) or abort(404)
    current = quizzes.time_accommodation(user)
    form = TimeAccommodationForm(obj=current)
    if form.validate_on_submit():
        quizzes.set_time_accommodation(current_user, user, form.extra_percent.data,
                                       form.reason.data or "")
        db.session.commit()
        flash(_("Extra time saved for %(name)s.", name=user.name), "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/time_accommodation.html", form=form, user=user,
                           current=current)


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@roles_required(Role.ADMIN)
def resend_invitation(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if ActionForm().validate_on_submit():
        accounts.send_invitation(current_user, user)
        db.session.commit()
        flash(_("Invitation sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit_log():
    page = max(request.args.get("page", 1, type=int), 1)
    wanted = AuditFilter.from_args(request.args)
    lines, total = audit_page(wanted, page, _("System"))
    return render_template("admin/audit.html", lines=lines, page=page, total=total,
                           pages=max(1, -(-total // PAGE_SIZE)), filters=wanted.as_args(),
                           actors=actors(), actions=action_choices())
