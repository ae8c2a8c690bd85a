"""Whole pages kept across requests, with a hole for the one value each request brings.

A kept page is drawn once per key and then served as text. Its key is the caller's (for the
trainee home: the trainee's progress version and the Tokyo date, :func:`version_key`) plus
everything the layout (``base.html``) reads besides it: the language, the URL prefix and
path, and the person's name, roles and unread count. The CSRF token in the layout's forms is
signed with the time, so it is drawn as a hole and filled in on every request. A page with a
flashed message (shown once), or whose unread count was not loaded with the user, is drawn
and not kept, and so is a page drawn while the request has unsaved progress or that used a
real CSRF token where the hole was meant.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from lms.caches import app_cache
from lms.extensions import db
from lms.progression import versions
from lms.templating import _locale

#: what the drawn page carries where the CSRF token goes (random per process: no page text
#: can contain it by chance)
HOLE = "csrf-hole-" + secrets.token_hex(16)


def page(name: str, key: Hashable, draw: Callable[..., str], size: int = 1000) -> str:
    """The page *name* for *key*, kept or drawn by ``draw(csrf_token=…)``, its hole filled.

    *draw* must pass its keyword arguments to ``render_template`` (they stand in for the
    template global of the same name).
    """
    unread = g.get("lms_unread_notifications")  # loaded with the user (lms.create_app)
    if session.get("_flashes") or unread is None:
        return draw()
    user = current_user._get_current_object()
    full_key = (key, _locale(), request.script_root, request.full_path, user.name,
                frozenset(user.roles), unread)
    cache = app_cache(f"page:{name}", size)
    html = cache.get(full_key)
    if html is None:
        field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        had_token = field in g
        html = draw(csrf_token=lambda: HOLE)
        if not (versions.has_changes(db.session) or (field in g and not had_token)):
            cache.put(full_key, html)
    return html.replace(HOLE, generate_csrf())
