"""Notifications: one call tells a person by e-mail and in the in-app list::

    from lms import notify
    notify.notify(user, "report_returned", link=external_url(...), title=..., due=date)

A parameter that is itself a message is passed as ``Text(N_("..."))``, so that each reader
sees it in their language. New kinds register with :func:`lms.notify.kinds.register_kind`
(one line each).
"""

from lms.notify.kinds import Kind, Text, register_kind
from lms.notify.services import notify

__all__ = ["Kind", "Text", "notify", "register_kind"]
