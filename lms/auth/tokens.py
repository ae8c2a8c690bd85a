"""Signed, expiring, single-use links for invitations and password resets."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lms.auth.models import User
from lms.errors import UserError
from lms.extensions import db

INVITE = "invite"
RESET = "reset"
#: an applicant's sign-up: the link verifies the address and sets the password
SIGNUP = "signup"


class TokenError(UserError):
    """The link is invalid, already used, or expired (``expired`` says which)."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"lms-{purpose}")


def _fingerprint(user: User) -> str:
    # Changes when the password does, so a link works once: setting a password spends it.
    return hashlib.sha256((user.password_hash or "none").encode()).hexdigest()[:16]


def make_token(user: User, purpose: str) -> str:
    """Return a signed token for *user* valid for *purpose* until the password changes."""
    return _serializer(purpose).dumps({"u": user.public_id, "f": _fingerprint(user)})


def max_age(purpose: str) -> int:
    cfg = current_app.config
    if purpose in (INVITE, SIGNUP):
        return cfg["INVITE_MAX_AGE_HOURS"] * 3600
    return cfg["RESET_MAX_AGE_MINUTES"] * 60


def read_token(token: str, purpose: str) -> User:
    """Return the user a valid, unspent, unexpired token names, else raise TokenError."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age(purpose))
    except SignatureExpired as exc:
        raise TokenError(expired=True) from exc
    except BadSignature as exc:
        raise TokenError() from exc
    user = db.session.execute(
        db.select(User).filter_by(public_id=data.get("u"))
    ).scalar_one_or_none()
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        raise TokenError()
    return user
