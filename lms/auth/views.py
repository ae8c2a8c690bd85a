"""Login, logout, invitations, password change and reset, language choice."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from lms.auth import services, tokens
from lms.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    SetPasswordForm,
)
from lms.extensions import db
from lms.security import login_required, public

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.netloc and not parts.scheme:
            return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data,
                                         request.remote_addr)
        except services.LoginLocked as exc:
            db.session.commit()
            time = format_datetime(exc.until, "medium")
            flash(_("Too many failed attempts. Logging in with this address is paused until "
                    "%(time)s. Please try again then.", time=time) if exc.scope == "email" else
                  _("Too many failed attempts from this network. Logging in is paused until "
                    "%(time)s. Please try again then.", time=time), "error")
        except services.LoginFailed:
            db.session.commit()
            flash(_("The e-mail address or password is incorrect."), "error")
        else:
            session.clear()
            login_user(user)
            session["locale"] = user.locale
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.record_logout(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


def _set_password_page(purpose: str, token: str):
    """The page of an invitation or reset link: choose a password (one template for both)."""
    try:
        user = tokens.read_token(token, purpose)
    except tokens.TokenError as exc:
        if purpose == tokens.INVITE:
            msg = (_("This invitation link has expired. Ask the secretariat to send a new one.")
                   if exc.expired else
                   _("This invitation link is invalid or has already been used."))
        else:
            msg = (_("This password reset link has expired. Request a new one.")
                   if exc.expired else
                   _("This password reset link is invalid or has already been used."))
        return render_template("auth/link_error.html", message=msg, purpose=purpose), 410
    form = SetPasswordForm()
    form._email = user.email
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        flash(_("Your password has been set. Please log in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user,
                           invitation=purpose == tokens.INVITE)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token):
    return _set_password_page(tokens.INVITE, token)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    return _set_password_page(tokens.RESET, token)


@bp.route("/forgot", methods=["GET", "POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account exists for that address, a reset link has been sent to it."),
              "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    form._email = current_user.email
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is incorrect."))
        else:
            services.set_password(current_user, form.password.data)
            db.session.commit()
            login_user(current_user._get_current_object())  # this session goes on
            flash(_("Your password has been changed. Other devices have been logged out."),
                  "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    """Log out every other device (a shared or lost computer): this session goes on."""
    user = current_user._get_current_object()
    user.end_sessions()
    db.session.commit()
    login_user(user)
    flash(_("You have been logged out on every other device."), "success")
    return redirect(url_for("auth.change_password"))


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))
