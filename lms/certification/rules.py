"""Certification readiness from learning records (pure: no Flask, no database).

A trainee is ready for the committee when the statement store shows every requirement of
§5: the five group tests and the comprehensive test passed, the goal sheet and both reports
accepted, course ② attended in full and the certification test passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PASSED = "http://adlnet.gov/expapi/verbs/passed"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ACCEPTED = "http://activitystrea.ms/schema/1.0/accept"
RETURNED = "https://w3id.org/xapi/dod-isd/verbs/returned"


@dataclass(frozen=True)
class Requirement:
    key: str
    #: the object the statement is about, relative to ``<base>/xapi/activities/``
    activity: str
    #: verbs that count for it; the latest of *decisive* decides, if given
    verb: str
    decisive: tuple[str, ...] = ()


REQUIREMENTS = (
    *(Requirement(f"quiz:group-{g}", f"quizzes/group-{g}", PASSED) for g in "abcde"),
    Requirement("quiz:comprehensive", "quizzes/comprehensive", PASSED),
    Requirement("report:goal", "practice/goal", ACCEPTED, (ACCEPTED, RETURNED)),
    Requirement("report:progress", "practice/progress", ACCEPTED, (ACCEPTED, RETURNED)),
    Requirement("report:final", "practice/final", ACCEPTED, (ACCEPTED, RETURNED)),
    Requirement("stage:course2", "stages/course2", COMPLETED),
    Requirement("quiz:certification", "quizzes/certification", PASSED),
)


@dataclass(frozen=True)
class Record:
    """One valid (not voided) statement of the trainee in this registration."""

    statement_id: str
    verb: str
    activity: str  #: relative, as in Requirement.activity
    timestamp: datetime
    seq: int
    #: False for a statement an LRS client sent that the LMS does not trust as evidence
    counted: bool = True


@dataclass(frozen=True)
class Evidence:
    requirement: Requirement
    met: bool
    record: Record | None  #: the statement that shows it (or the latest deciding one)
    #: statements about the requirement that were shown but not counted (untrusted senders)
    uncounted: tuple[Record, ...] = ()


def evidence(records: list[Record]) -> list[Evidence]:
    """Return, per requirement in programme order, whether the records show it and which one."""
    out = []
    for req in REQUIREMENTS:
        mentioned = sorted((r for r in records if r.activity == req.activity),
                           key=lambda r: r.seq)
        about = [r for r in mentioned if r.counted]
        ignored = tuple(r for r in mentioned if not r.counted)
        if req.decisive:
            deciding = [r for r in about if r.verb in req.decisive]
            last = deciding[-1] if deciding else None
            out.append(Evidence(req, last is not None and last.verb == req.verb, last, ignored))
        else:
            hits = [r for r in about if r.verb == req.verb]
            out.append(Evidence(req, bool(hits), hits[0] if hits else None, ignored))
    return out


def ready(items: list[Evidence]) -> bool:
    return all(e.met for e in items)
