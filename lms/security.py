"""Access control in one place: views declare who may reach them; a hook enforces it.

Every endpoint must carry a declaration. An endpoint without one is refused (deny by default),
and the access-matrix test fails, so a new route cannot be reachable by accident.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

F = TypeVar("F", bound=Callable)

PUBLIC = "public"
AUTHENTICATED = "authenticated"
#: xAPI clients: HTTP Basic credentials checked by the LRS itself (lms.lrs.protocol)
LRS_CLIENT = "lrs"


class Role(enum.StrEnum):
    """A role a person may hold; one person may hold several."""

    TRAINEE = "trainee"  #: 受講生
    INSTRUCTOR = "instructor"  #: 講師
    COMMITTEE = "committee"  #: 認定審査委員
    ADMIN = "admin"  #: 事務局


def declare_access(view: F, access: str | frozenset[Role]) -> F:
    """Record on *view* who may reach it (:func:`access_of` reads it back): PUBLIC,
    AUTHENTICATED, LRS_CLIENT or the roles any of which is enough."""
    # a function's attribute dictionary: typed, unlike an attribute set on a Callable
    view.__dict__["access"] = access
    return view


def public(view: F) -> F:
    """Mark a view as reachable without logging in."""
    return declare_access(view, PUBLIC)


def login_required(view: F) -> F:
    """Mark a view as reachable by any logged-in person."""
    return declare_access(view, AUTHENTICATED)


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Mark a view as reachable by a logged-in person holding any of *roles*."""

    def mark(view: F) -> F:
        return declare_access(view, frozenset(roles))

    return mark


def access_of(endpoint: str | None):
    """Return the declared access of *endpoint*, or None if it declares none."""
    if endpoint is None:
        return PUBLIC  # 404s: let Flask answer
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def enforce_access():
    """``before_request`` hook: log in, or hold a role, as the endpoint declares."""
    access = access_of(request.endpoint)
    if access in (PUBLIC, LRS_CLIENT):
        return None
    if not current_user.is_authenticated:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(401)
    if access is None:
        abort(403)
    if access == AUTHENTICATED or current_user.has_any_role(access):
        return None
    abort(403)
