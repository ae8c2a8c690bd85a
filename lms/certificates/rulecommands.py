"""``flask lms rules validity`` and ``flask lms rules renewal``: the same pure functions the LMS
uses, asked with JSON."""

from __future__ import annotations

from datetime import date

from lms.certificates import rules
from lms.rulescli import rule_command


@rule_command("validity")
def validity(payload: dict) -> dict:
    """{"certified_on": "YYYY-MM-DD"} → {"valid_until": "YYYY-MM-DD"} (§6(4))."""
    certified_on = date.fromisoformat(payload["certified_on"])
    return {"valid_until": rules.valid_until(certified_on).isoformat()}


@rule_command("renewal")
def renewal(payload: dict) -> dict:
    """{"valid_until": …, "renewed_on": …} → {"valid_until": …} or {"valid_until": null,
    "reason": …}."""
    answer = rules.renewal(date.fromisoformat(payload["valid_until"]),
                           date.fromisoformat(payload["renewed_on"]))
    if answer.valid_until is None:
        return {"valid_until": None, "reason": answer.reason}
    return {"valid_until": answer.valid_until.isoformat()}
