"""Messages to one person, written in their language: the one builder of account mails."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from lms.mail.models import OutgoingMail
from lms.mail.services import queue


def queue_to(user: Any, subject: str, body: str, **params: Any) -> OutgoingMail:
    """Queue a message to *user* in their language, sent only if the caller's transaction
    commits; *subject* and *body* are msgids (marked with ``N_``), *params* fill the body in
    and ``name`` is the user's unless given."""
    with force_locale(user.locale):
        return queue(user.email, _(subject), _(body, **{"name": user.name, **params}))
