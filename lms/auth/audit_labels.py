"""How the audit log names accounts: the people who act, account actions and roles."""

from __future__ import annotations

from collections.abc import Collection

from flask import url_for
from sqlalchemy import select

from lms import audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import N_

audit.register_actions({
    "user.create": N_("Account created"),
    "user.update": N_("Account changed"),
    "user.invite": N_("Invitation sent"),
})
audit.register_values({
    "trainee": N_("Trainee"), "instructor": N_("Instructor"),
    "committee": N_("Committee member"), "admin": N_("Administrator"),
})


def _names(ids: Collection[int]) -> dict[int, str]:
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def _user(ident: str):
    user = db.session.get(User, int(ident))
    return (user.name, url_for("admin.edit_user", user_id=user.id)) if user else None


audit.register_people(_names)
audit.register_target("User", _user)
