"""Notifications: one call tells a person by e-mail and in the in-app list::

    from lms import notify
    notify.notify(user, "report_returned", link=external_url(...), title=..., due=date)

New kinds register with :func:`lms.notify.kinds.register_kind` (one line each).
"""

from lms.notify.kinds import Kind, register_kind
from lms.notify.services import notify

__all__ = ["Kind", "notify", "register_kind"]
