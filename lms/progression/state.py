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


def satisfied_by_trainee(trainees: list[tuple[int, str, int]]) -> dict[int, frozenset[str]]:
    """{user id: units achieved} for ``(id, public_id, progress_version)`` rows, for counts
    over many trainees (the administrator's funnel): each trainee's units are kept under
    their version key, so only those whose progress changed since (or the first time, or
    on a new Tokyo day) are computed, all in one batch through the registry. Outside a
    request, or once this transaction has changed progress, all computed and none kept."""
    from lms.auth.models import User
    from lms.progression.services import satisfied_for

    keep = has_request_context() and not versions.has_changes(db.session)
    cache = app_cache("programme_units", 50000)  # a few hundred bytes each
    today = today_tokyo()
    found: dict[int, frozenset[str]] = {}
    missing: dict[int, tuple] = {}
    for user_id, public_id, version in trainees:
        key = (public_id, version, today)
        units = cache.get(key) if keep else None
        if units is None:
            missing[user_id] = key
        else:
            found[user_id] = units
    if missing:
        users = list(db.session.scalars(db.select(User).where(User.id.in_(list(missing)))))
        for user_id, units in satisfied_for(users).items():
            found[user_id] = frozenset(units)
            if keep:
                cache.put(missing[user_id], found[user_id])
    return found
