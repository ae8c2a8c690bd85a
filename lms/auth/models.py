"""People, their roles, and login throttling."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lms.extensions import db, enum_type
from lms.security import Role
from lms.timeutil import UTCDateTime, utcnow

#: werkzeug hashing method; the test suite lowers the scrypt cost (tests/conftest.py).
PASSWORD_METHOD = "scrypt"


class User(UserMixin, db.Model):
    """A person who uses the LMS (受講生, 講師, 認定審査委員, 事務局)."""

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
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(db.Model):
    """One role held by one person."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(
        enum_type(Role),
        primary_key=True,
    )
    user: Mapped[User] = relationship(back_populates="role_grants")


class LoginThrottle(db.Model):
    """Failed logins per e-mail address, whether or not an account exists for it.

    Keyed by the address typed, so the throttle message gives no hint of which accounts exist.
    """

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
