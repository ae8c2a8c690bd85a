"""How the audit log names LRS clients."""

from __future__ import annotations

from flask import url_for

from lms import audit
from lms.extensions import db
from lms.i18n import N_
from lms.lrs.models import LrsClient

audit.register_actions({
    "lrs_client.create": N_("LRS client created"),
    "lrs_client.revoke": N_("LRS client revoked"),
})


def _client(ident: str):
    row = db.session.get(LrsClient, int(ident))
    return (f"{row.name}（{row.key}）", url_for("lrs_admin.lrs_clients")) if row else None


audit.register_target("LrsClient", _client)
