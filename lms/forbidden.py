"""Why a request was refused by role, in words a person can act on (the 403 page)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from lms.security import AUTHENTICATED, PUBLIC, Role, access_of
from lms.templating import ROLE_LABELS


def role_names(roles) -> str:
    return "、".join(str(ROLE_LABELS[r]) for r in Role if r in roles)


def forbidden_message(exc) -> str:
    """The reason for a 403: the view's own words, or which roles the page is for."""
    description = getattr(exc, "description", None)
    if description and description != Forbidden.description:
        return description
    access = access_of(request.endpoint)
    if access in (None, PUBLIC, AUTHENTICATED) or not current_user.is_authenticated:
        return _("You do not have permission to open this page.")
    return _("You do not have permission to open this page: it is for %(roles)s, and your "
             "account is %(mine)s. If that is wrong, please contact the secretariat.",
             roles=role_names(access), mine=role_names(current_user.roles))
