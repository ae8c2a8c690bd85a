"""How the audit log names content actions."""

from __future__ import annotations

from lms import audit
from lms.i18n import N_

audit.register_actions({
    "content.sync": N_("Lectures loaded from files"),
    "content.publish": N_("Content published from the web"),
})
audit.register_target_name("LectureModule", N_("Lectures"))
audit.register_target_name("Content", N_("Lectures and tests"))
