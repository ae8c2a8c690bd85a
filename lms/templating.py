"""Template helpers: navigation per role, Tokyo dates, the language switch."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.security import Role

#: (role, [(endpoint, label)]) — the sections of the navigation bar, in order
NAVIGATION = [
    (Role.TRAINEE, [("home.trainee", _l("My page"))]),
    (Role.INSTRUCTOR, [("home.instructor", _l("Instructor"))]),
    (Role.COMMITTEE, [("home.committee", _l("Committee"))]),
    (Role.ADMIN, [
        ("admin.dashboard", _l("Administration")),
        ("admin.users", _l("Users")),
        ("cohorts.index", _l("Cohorts")),
        ("admin.audit_log", _l("Audit log")),
    ]),
]

ROLE_LABELS = {
    Role.TRAINEE: _l("Trainee"),
    Role.INSTRUCTOR: _l("Instructor"),
    Role.COMMITTEE: _l("Committee member"),
    Role.ADMIN: _l("Administrator"),
}


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [item for role, items in NAVIGATION if current_user.has_role(role) for item in items]


def jst(value: datetime | date | None, style: str = "medium") -> str:
    """Format a stored UTC time (or a date) for display in Tokyo, in the user's language."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, style)
    return format_date(value, style)


def init_app(app: Flask) -> None:
    app.add_template_filter(jst, "jst")

    @app.context_processor
    def inject():
        from lms.auth.forms import LanguageForm

        return {
            "nav_items": navigation(),
            "role_labels": ROLE_LABELS,
            "current_locale": str(get_locale() or "ja"),
            "language_form": LanguageForm(formdata=None, locale=str(get_locale() or "ja")),
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
