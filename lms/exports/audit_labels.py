"""How the audit log names downloads (the exported tables are named in :mod:`.views`)."""

from __future__ import annotations

from lms import audit
from lms.i18n import N_

audit.register_actions({"export.download": N_("Data exported")})
