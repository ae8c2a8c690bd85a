"""Where a statement belongs: the programme, the cohort and the subject group as activities,
and the statement context that names them."""

from __future__ import annotations

from typing import Any

from lms.xapi import vocab
from lms.xapi.recorder import activity, activity_iri, actor_for


def programme() -> dict[str, Any]:
    """The training programme as a whole, the course every statement belongs to."""
    return activity(activity_iri("programme"), vocab.TYPE_COURSE,
                    "外国人支援コーディネーター養成研修",
                    "Foreign Resident Support Coordinator training")


def cohort(cohort_id: int, name: str) -> dict[str, Any]:
    return activity(activity_iri("cohorts", str(cohort_id)), vocab.TYPE_COHORT, name,
                    f"Cohort {cohort_id} ({name})")


def subject_group(letter: str) -> dict[str, Any]:
    return activity(activity_iri("groups", letter), vocab.TYPE_SUBJECT_GROUP, f"科目群{letter}",
                    f"Subject group {letter}")


def of(enrolment, *, parent: list[dict] | None = None, grouping: list[dict] | None = None,
       category: list[dict] | None = None, instructor=None, trainee=None,
       extensions: dict[str, Any] | None = None) -> dict[str, Any]:
    """The context of a statement in *enrolment*: its registration, the programme and the
    cohort as grouping (after any *grouping* given), and what else is given.

    *instructor* is the member of staff who acted with the trainee; *trainee* is the trainee
    a member of staff's decision is about (an extension, since the trainee is not the actor).
    """
    ctx: dict[str, Any] = {}
    groups = list(grouping or [])
    if enrolment is not None:
        ctx["registration"] = enrolment.registration
        groups += [programme(), cohort(enrolment.cohort_id, enrolment.cohort.name)]
    else:
        groups.append(programme())
    activities: dict[str, list[dict]] = {"grouping": groups}
    if parent:
        activities["parent"] = parent
    if category:
        activities["category"] = category
    ctx["contextActivities"] = activities
    if instructor is not None:
        ctx["instructor"] = actor_for(instructor)
    exts = dict(extensions or {})
    if trainee is not None:
        exts[vocab.EXT_TRAINEE.iri] = actor_for(trainee)
    if exts:
        ctx["extensions"] = exts
    return ctx
