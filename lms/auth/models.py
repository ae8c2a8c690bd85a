"""People, their roles, and login throttling."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from functools import cache

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lms.extensions import Model, enum_type
from lms.security import Role
from lms.timeutil import UTCDateTime, utcnow

#: werkzeug hashing method; the test suite lowers the scrypt cost (tests/conftest.py).
PASSWORD_METHOD = "scrypt"


class User(UserMixin, Model):
    """A person who uses the LMS (受講生, 講師, 認定審査委員, 事務局)."""

    #: the administrators' user list pages through accounts by name
    __table_args__ = (Index("ix_user_name_id", "name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: opaque, stable id used outside the LMS (xAPI actor account name); never the e-mail
    public_id: Mapped[str] = mapped_column(
        String(36), unique=True, default=lambda: str(uuid.uuid4())
    )
    #: stored lower-cased; the login name
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    #: scrypt hash; None until an invited person sets a password
    password_hash: Mapped[str | None] = mapped_column(String(256))
    locale: Mapped[str] = mapped_column(String(5), default="ja")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: bumped to end every session: a session cookie carries the version it was made with
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: goes up with every write that changes this person's progress (lms.progression.versions):
    #: pages cache what they derive from progress under it, so every server process agrees
    progress_version: Mapped[int] = mapped_column(default=0, server_default="0")

    role_grants: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[Role]:
        return {grant.role for grant in self.role_grants}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def has_any_role(self, roles) -> bool:
        return bool(self.roles & set(roles))

    def set_roles(self, roles) -> None:
        wanted = set(roles)
        self.role_grants = [g for g in self.role_grants if g.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_grants.append(UserRole(role=role))

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return verify_password(self, password)

    def get_id(self) -> str:  # Flask-Login: what the session cookie holds
        """The id and session version: bumping the version ends every session made before."""
        return f"{self.id}:{self.session_version or 0}"

    def end_sessions(self) -> None:
        """End every session of this person (a new login, or re-login, makes a valid one)."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)


def verify_password(user: User | None, password: str) -> bool:
    """Check *password* against *user*'s hash; with no user or no password set, hash it
    against a dummy anyway, so the answer takes as long for unknown addresses."""
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(PASSWORD_METHOD), password)
        return False
    return check_password_hash(user.password_hash, password)


class UserRole(Model):
    """One role held by one person."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(
        enum_type(Role),
        primary_key=True,
    )
    user: Mapped[User] = relationship(back_populates="role_grants")


class LoginThrottle(Model):
    """Failed attempts counted per key: ``email:<address>`` (whether or not an account has
    it, so the pause gives no hint of which exist), ``ip:<client address>``, and
    ``reset:<address>`` for password-reset mails.

    Counted by one atomic upsert (lms.auth.throttle), never read-modify-write.
    """

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    #: the last counted attempt; a count this old is forgotten
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: no attempt on this key is evaluated before this moment
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
