"""A trainee's programme state (units achieved, withdrawn or not), computed once through the
registry and kept across requests under the trainee's progress version.

Every write that changes progress bumps the version in the database in the same transaction
(:mod:`lms.progression.versions`), and each request reads the version with the user, so a
state cached by one server process is never served after another process changed it. The
Tokyo date is part of the key: gates that open by date (the renewal window) move at midnight.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context

from lms.caches import app_cache
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.cohorts.services import current_enrolment
from lms.extensions import db
from lms.progression import versions
from lms.timeutil import today_tokyo


@dataclass(frozen=True)
class ProgrammeState:
    satisfied: frozenset[str]
    withdrawn: bool


def compute(user) -> ProgrammeState:
    from lms.progression.services import satisfied_for

    enrolment = current_enrolment(user)
    return ProgrammeState(frozenset(satisfied_for([user])[user.id]),
                          enrolment is not None and enrolment.status == EnrolmentStatus.WITHDRAWN)


def programme_state(user) -> ProgrammeState:
    """The trainee's state now: from the caches when nothing in this transaction has changed
    progress yet, else computed afresh (and not kept). Outside a request (jobs, the CLI)
    always computed."""
    if not has_request_context() or versions.has_changes(db.session):
        return compute(user)
    key = versions.version_key(user, today_tokyo())
    memo = g.setdefault("lms_programme_state", {})
    state = memo.get(key)
    if state is None:
        cache = app_cache("programme_state", 10000)  # a few hundred bytes each
        state = cache.get(key)
        if state is None:
            state = compute(user)
            if not versions.has_changes(db.session):
                cache.put(key, state)
        memo[key] = state
    return state


def track() -> None:
    """Enrolments decide withdrawal and which cohort's records count; a cohort's changes
    (dates, name) reach its trainees' pages."""
    versions.track(Enrolment, Enrolment.user_id)
    versions.track(Cohort, Cohort.id, via=(Enrolment.cohort_id, Enrolment.user_id))
