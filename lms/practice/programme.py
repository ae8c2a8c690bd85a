"""Practice's part in the programme: ``stage:practice`` is the goal sheet and both reports
accepted (and, where the deployment requires them, enough days of reflections)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from flask import current_app
from flask_babel import gettext as _

from lms.cohorts.models import Enrolment
from lms.cohorts.services import latest_enrolments
from lms.extensions import db
from lms.practice.models import PracticeReport, Reflection, ReportStatus
from lms.progression import registry, versions
from lms.xapi import vocab

UNIT = "stage:practice"
#: practice as a stage in learning records: its activity id under ``stages/``, its names
STAGE = ("practice", "実践", "Practice stage")
#: where the practice forms' activities live (``practice/<form>``)
FORMS = "practice"
#: the reports whose acceptance completes practice: the goal sheet and both reports
REPORT_KINDS = ("goal", "progress", "final")


def completed_enrolments_query():
    """The ids of the enrolments whose practice is complete, as a query: the goal sheet and
    both reports accepted (and, where the deployment requires them, enough days of
    reflections written). The one definition of "practice complete"."""
    query = (db.select(PracticeReport.enrolment_id)
             .where(PracticeReport.status == ReportStatus.ACCEPTED,
                    PracticeReport.kind.in_(REPORT_KINDS))
             .group_by(PracticeReport.enrolment_id)
             .having(db.func.count(db.distinct(PracticeReport.kind)) == len(REPORT_KINDS)))
    required = current_app.config["REFLECTIONS_REQUIRED"]
    if required:
        query = query.where(PracticeReport.enrolment_id.in_(
            db.select(Reflection.enrolment_id).group_by(Reflection.enrolment_id)
            .having(db.func.count() >= required)))
    return query


def completed_enrolments(enrolment_ids: Collection[int]) -> set[int]:
    """Those of *enrolment_ids* whose practice is complete (:func:`completed_enrolments_query`),
    in one query for any number of enrolments."""
    if not enrolment_ids:
        return set()
    return set(db.session.scalars(completed_enrolments_query().where(
        PracticeReport.enrolment_id.in_(list(enrolment_ids)))))


def satisfied(users: Sequence) -> dict[int, set[str]]:
    enrolments = {uid: e.id for uid, e in latest_enrolments(users).items()}
    complete = completed_enrolments(enrolments.values())
    return {uid: ({UNIT} if eid in complete else set()) for uid, eid in enrolments.items()}


def title(unit: str) -> str:
    return _("Practice")


def proofs(unit: str) -> tuple[registry.Proof, ...]:
    """Each report accepted, as the reviewer last decided it."""
    decisive = (vocab.iri(vocab.ACCEPTED.ref), vocab.iri(vocab.RETURNED.ref))
    return tuple(registry.Proof(f"report:{kind}", f"{FORMS}/{kind}", vocab.iri(vocab.ACCEPTED.ref),
                                decisive) for kind in REPORT_KINDS)


def register() -> None:
    registry.register(registry.Stage("practice", (UNIT,), satisfied, title=title,
                                     milestones=(UNIT,), proofs=proofs,
                                     page="practice.overview"))
    versions.track(PracticeReport, PracticeReport.user_id,
                   fields=("status", "revision_due_on", "enrolment_id"))
    versions.track(Reflection, Reflection.enrolment_id, via=(Enrolment.id, Enrolment.user_id),
                   fields=("enrolment_id",))
