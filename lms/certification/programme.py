"""Certification's part in the programme: the certification test counts as the committee
decided it (§6(2)ア), and the committee's readiness list is every statement that shows a unit
this test requires in ``content/program.yml`` (proofs registered by each stage)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms import progression
from lms.booking import programme as booking
from lms.certification import rules
from lms.progression import registry
from lms.xapi import vocab

#: the unit whose requirements make a trainee ready for the committee
CERTIFIES = "quiz:certification"

#: the stage the committee's decision concludes (修了認定): activity id, Japanese, English
STAGE = ("certification", "修了認定", "Certification")

#: the certification test (修了認定テスト): sat in the course ② session's window; the committee
#: approves its items beforehand and decides each pass (§6(2)ア)
KIND = registry.QuizKind("certification", "Certification test", committee=True, reviewed=True,
                         in_session=True, stage=booking.STAGE)


#: readiness labels of the sample programme's requirements (others show the unit's title)
LABELS = {
    "quiz:group-a": _l("Group A test"), "quiz:group-b": _l("Group B test"),
    "quiz:group-c": _l("Group C test"), "quiz:group-d": _l("Group D test"),
    "quiz:group-e": _l("Group E test"), "quiz:comprehensive": _l("Comprehensive test"),
    "report:goal": _l("Goal sheet accepted"), "report:progress": _l("Progress report accepted"),
    "report:final": _l("Final report accepted"), "stage:course2": _l("Course 2 attended"),
    "quiz:certification": _l("Certification test (committee's decision)"),
}

#: column headings of the cohort table (the full label is the abbreviation's title)
SHORT = {
    "quiz:group-a": _l("Test A"), "quiz:group-b": _l("Test B"), "quiz:group-c": _l("Test C"),
    "quiz:group-d": _l("Test D"), "quiz:group-e": _l("Test E"),
    "quiz:comprehensive": _l("Comprehensive"), "report:goal": _l("Goal"),
    "report:progress": _l("Progress"), "report:final": _l("Final"),
    "stage:course2": _l("Course 2"), "quiz:certification": _l("Certif. test"),
}


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
                                     lambda users: {}, proofs=proofs, quiz_kinds=(KIND,)))
