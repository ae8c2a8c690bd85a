"""Practice's part in the programme: ``stage:practice`` is the goal sheet and both reports
accepted (and, where the deployment requires them, enough days of reflections)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from lms.cohorts.services import latest_enrolments
from lms.practice.services import REPORT_KINDS, completed_enrolments
from lms.progression import registry
from lms.xapi import vocab

UNIT = "stage:practice"


def satisfied(users: Sequence) -> dict[int, set[str]]:
    enrolments = {uid: e.id for uid, e in latest_enrolments(users).items()}
    complete = completed_enrolments(enrolments.values())
    return {uid: ({UNIT} if eid in complete else set()) for uid, eid in enrolments.items()}


def title(unit: str) -> str:
    return _("Practice")


def proofs(unit: str) -> tuple[registry.Proof, ...]:
    """Each report accepted, as the reviewer last decided it."""
    decisive = (vocab.ACCEPTED.ref, vocab.RETURNED.ref)
    return tuple(registry.Proof(f"report:{kind}", f"practice/{kind}", vocab.ACCEPTED.ref,
                                decisive) for kind in REPORT_KINDS)


def register() -> None:
    registry.register(registry.Stage("practice", (UNIT,), satisfied, title=title,
                                     milestones=(UNIT,), proofs=proofs,
                                     page="practice.overview"))
