"""``flask lms rules disqualified``: the 2-year bar of grounds イ, ウ and エ (§6(1))."""

from __future__ import annotations

from datetime import date

from lms.certification import rules
from lms.rulescli import rule_command


@rule_command("disqualified")
def disqualified(payload: dict) -> dict:
    """Read {"ground": "イ"|"ウ"|"エ", "since": "YYYY-MM-DD", "decision": "YYYY-MM-DD"};
    print {"disqualified": true|false}."""
    ground = payload["ground"]
    if ground not in rules.DATED_GROUNDS:
        raise ValueError(f"ground must be one of {', '.join(rules.DATED_GROUNDS)}")
    since, decision = date.fromisoformat(payload["since"]), date.fromisoformat(payload["decision"])
    return {"disqualified": bool(rules.disqualifying([rules.Ground(ground, True, since)],
                                                     decision))}
