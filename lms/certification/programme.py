"""Certification's part in the programme: the certification test counts as the committee
decided it (§6(2)ア), and the committee's readiness list is every statement that shows a unit
this test requires in ``content/program.yml`` (proofs registered by each stage)."""

from __future__ import annotations

from lms import progression
from lms.certification import rules
from lms.progression import registry
from lms.xapi import vocab

#: the unit whose requirements make a trainee ready for the committee
CERTIFIES = "quiz:certification"


def proofs(unit: str) -> tuple[registry.Proof, ...]:
    """Only the committee's decision about the trainee counts, never the LMS's score."""
    return (registry.Proof(unit, f"quizzes/{unit.partition(':')[2]}", vocab.PASSED.id,
                           (vocab.PASSED.id, vocab.FAILED.id), committee=True),)


def requirements() -> tuple[rules.Requirement, ...]:
    """What readiness shows, in programme order: each unit's proofs."""
    return tuple(rules.Requirement(p.key, p.activity, p.verb, p.decisive, p.committee)
                 for unit in progression.requirements_of(CERTIFIES)
                 for p in registry.proofs(unit))


def register() -> None:
    registry.register(registry.Stage("certification", (CERTIFIES,),
                                     lambda users: {}, proofs=proofs))
