"""Logging in, accounts, invitations and password resets. Functions flush; callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from lms import audit, xapi
from lms.auth import rules, throttle, tokens
from lms.auth.models import User, verify_password
from lms.errors import UserError
from lms.extensions import db
from lms.i18n import N_
from lms.links import external_url
from lms.mail.compose import queue_to
from lms.security import Role
from lms.timeutil import utcnow
from lms.xapi import context as where
from lms.xapi import vocab


class LoginLocked(UserError):
    """Too many failed logins for this address (``scope`` "email") or from this client
    (``scope`` "ip"); try again after ``until``."""

    def __init__(self, until: datetime, scope: str = "email"):
        super().__init__("locked")
        self.until = until
        self.scope = scope


class LoginFailed(UserError):
    """Wrong e-mail or password (deliberately not saying which)."""


class AccountError(UserError, ValueError):
    """An account change the rules refuse; ``code`` names the reason for the view's message."""


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


def authenticate(email: str, password: str, client_ip: str | None = None,
                 now: datetime | None = None) -> User:
    """Return the user for a correct e-mail and password, else raise LoginLocked/LoginFailed.

    Every attempt is counted first, atomically, per client address and per address typed
    (existing or not); past the free attempts each failure pauses that key a little longer
    (lms.auth.throttle). Unknown addresses are hashed against a dummy, so they take as long
    as real ones. The caller commits either way.
    """
    now = now or utcnow()
    email = normalise_email(email)
    counted = {}
    for scope, key in (("ip", f"ip:{client_ip}" if client_ip else None),
                       ("email", f"email:{email}")):
        if key is None:
            continue
        result = throttle.count(key, now, throttle.policy(scope))
        if result is None:
            raise LoginLocked(throttle.blocked_until(key) or now, scope)
        counted[key] = (scope, result)
    user = find_user(email)
    # verify_password hashes even for an unknown address; None is checked after it
    if not verify_password(user, password) or user is None or not user.active:
        paused = [(r.blocked_until, scope) for scope, r in counted.values() if r.blocked_until]
        if paused:
            raise LoginLocked(*max(paused))
        raise LoginFailed()
    for key, (scope, result) in counted.items():
        if scope == "email":
            throttle.clear(key)
        else:
            throttle.uncount(key, result)
    user.last_login_at = now
    xapi.record(user, vocab.LOGGED_IN, _lms_activity(), context=where.of(None))
    db.session.flush()
    return user


def record_logout(user: User) -> None:
    """Log out: this session and every other one of the person end."""
    user.end_sessions()
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
    if (before["roles"], before["active"]) != (after["roles"], after["active"]):
        user.end_sessions()  # a role change or (de)activation takes effect everywhere at once
    db.session.flush()
    audit.record(actor, "user.update", user, {"before": before, "after": after})


def send_invitation(actor: User | None, user: User) -> None:
    """Queue an invitation with a signed link to set a password."""
    link = external_url("auth.accept_invitation", token=tokens.make_token(user, tokens.INVITE))
    queue_to(user, N_("Invitation to the coordinator training LMS"), N_(
        "%(name)s,\n\nAn account has been created for you. Set your password with this "
        "link (valid for %(hours)s hours):\n\n%(link)s\n"),
        hours=current_app.config["INVITE_MAX_AGE_HOURS"], link=link)
    audit.record(actor, "user.invite", user)


def request_password_reset(email: str) -> None:
    """Queue a reset link if an active account has *email*; silently do nothing otherwise,
    and nothing past RESET_MAILS_PER_HOUR mails to one address."""
    user = find_user(email)
    if user is None or not user.active:
        return
    key = f"reset:{user.email}"
    if throttle.count(key, utcnow(), throttle.policy("reset")) is None:
        return
    link = external_url("auth.reset_password", token=tokens.make_token(user, tokens.RESET))
    queue_to(user, N_("Password reset"), N_(
        "%(name)s,\n\nUse this link within %(minutes)s minutes to choose a new password:\n\n"
        "%(link)s\n\nIf you did not ask for this, ignore this message.\n"),
        minutes=current_app.config["RESET_MAX_AGE_MINUTES"], link=link)


def set_password(user: User, password: str) -> None:
    """Set a new password (spending any invitation or reset link) after checking its strength."""
    if rules.password_problems(password, user.email):
        raise AccountError("weak_password")
    user.set_password(password)
    user.end_sessions()  # a copied cookie stops working with the old password
    db.session.flush()
