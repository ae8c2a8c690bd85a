"""Logging in, accounts, invitations and password resets. Functions flush; callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from lms import audit, mail, xapi
from lms.auth import rules, tokens
from lms.auth.models import LoginThrottle, User
from lms.extensions import db
from lms.links import external_url
from lms.security import Role
from lms.timeutil import utcnow
from lms.xapi import context as where
from lms.xapi import vocab


class LoginLocked(Exception):
    """Too many failed logins for this address; try again after ``until``."""

    def __init__(self, until: datetime):
        super().__init__("locked")
        self.until = until


class LoginFailed(Exception):
    """Wrong e-mail or password (deliberately not saying which)."""


class AccountError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class NewAccount:
    email: str
    name: str
    roles: frozenset[Role]
    locale: str = "ja"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.execute(
        db.select(User).filter_by(email=normalise_email(email))
    ).scalar_one_or_none()


def _throttle_row(email: str) -> LoginThrottle:
    row = db.session.get(LoginThrottle, email)
    if row is None:
        row = LoginThrottle(email=email, failures=0)
        db.session.add(row)
    return row


def authenticate(email: str, password: str, now: datetime | None = None) -> User:
    """Return the user for a correct e-mail and password, else raise LoginLocked/LoginFailed.

    Failures are counted per address typed (existing or not); the caller commits either way.
    """
    now = now or utcnow()
    email = normalise_email(email)
    row = _throttle_row(email)
    state = rules.ThrottleState(row.failures or 0, row.locked_until)
    if rules.is_locked(state, now):
        raise LoginLocked(row.locked_until)
    user = find_user(email)
    if user is None or not user.active or not user.check_password(password):
        cfg = current_app.config
        state = rules.after_failure(
            state, now, cfg["LOGIN_MAX_FAILURES"], cfg["LOGIN_LOCK_MINUTES"]
        )
        row.failures, row.locked_until = state.failures, state.locked_until
        db.session.flush()
        if rules.is_locked(state, now):
            raise LoginLocked(state.locked_until)
        raise LoginFailed()
    db.session.delete(row)
    user.last_login_at = now
    xapi.record(user, vocab.LOGGED_IN, _lms_activity(), context=where.of(None))
    db.session.flush()
    return user


def record_logout(user: User) -> None:
    xapi.record(user, vocab.LOGGED_OUT, _lms_activity(), context=where.of(None))


def _lms_activity() -> dict:
    return xapi.activity(
        xapi.activity_iri("lms"), vocab.TYPE_LMS, "外国人支援コーディネーター養成研修 LMS",
        "Coordinator training LMS",
    )


def create_account(actor: User | None, new: NewAccount, password: str | None = None) -> User:
    """Create an account; without a password the person is invited by e-mail to set one."""
    email = normalise_email(new.email)
    if find_user(email) is not None:
        raise AccountError("email_taken")
    user = User(email=email, name=new.name.strip(), locale=new.locale)
    user.set_roles(new.roles)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user, {"roles": sorted(new.roles)})
    if not password:
        send_invitation(actor, user)
    return user


def update_account(actor: User, user: User, name: str, roles, active: bool) -> None:
    """Change a person's name, roles or active flag; an administrator cannot demote themself."""
    if user.id == actor.id and (Role.ADMIN not in roles or not active):
        raise AccountError("cannot_demote_self")
    before = {"name": user.name, "roles": sorted(user.roles), "active": user.active}
    user.name, user.active = name.strip(), active
    user.set_roles(roles)
    after = {"name": user.name, "roles": sorted(user.roles), "active": user.active}
    db.session.flush()
    audit.record(actor, "user.update", user, {"before": before, "after": after})


def send_invitation(actor: User | None, user: User) -> None:
    """Queue an invitation with a signed link to set a password."""
    link = external_url("auth.accept_invitation", token=tokens.make_token(user, tokens.INVITE))
    hours = current_app.config["INVITE_MAX_AGE_HOURS"]
    with force_locale(user.locale):
        subject = _("Invitation to the coordinator training LMS")
        body = _(
            "%(name)s,\n\nAn account has been created for you. Set your password with this "
            "link (valid for %(hours)s hours):\n\n%(link)s\n",
            name=user.name, hours=hours, link=link,
        )
    mail.queue(user.email, subject, body)
    audit.record(actor, "user.invite", user)


def request_password_reset(email: str) -> None:
    """Queue a reset link if an active account has *email*; silently do nothing otherwise."""
    user = find_user(email)
    if user is None or not user.active:
        return
    link = external_url("auth.reset_password", token=tokens.make_token(user, tokens.RESET))
    minutes = current_app.config["RESET_MAX_AGE_MINUTES"]
    with force_locale(user.locale):
        subject = _("Password reset")
        body = _(
            "%(name)s,\n\nUse this link within %(minutes)s minutes to choose a new password:\n\n"
            "%(link)s\n\nIf you did not ask for this, ignore this message.\n",
            name=user.name, minutes=minutes, link=link,
        )
    mail.queue(user.email, subject, body)


def set_password(user: User, password: str) -> None:
    """Set a new password (spending any invitation or reset link) after checking its strength."""
    if rules.password_problems(password, user.email):
        raise AccountError("weak_password")
    user.set_password(password)
    db.session.flush()
