"""Read a trainee's certification readiness from the statement store.

Only statements the LMS itself recorded count, and those of an LRS client an administrator
trusts for that verb and activity (:meth:`lms.lrs.models.LrsClient.trusts`): anyone holding
LRS write credentials can post a statement about a trainee, so the rest are shown, not counted.
"""

from __future__ import annotations

from sqlalchemy import select

from lms.certification import programme, rules
from lms.extensions import db
from lms.lrs.models import LrsClient
from lms.xapi import activity_iri
from lms.xapi.index import agent_key
from lms.xapi.models import Statement
from lms.xapi.recorder import actor_for
from lms.xapi.store import LMS_SOURCE


def records_for(users: list, registrations: dict[int, str]) -> dict[int, list[rules.Record]]:
    """Return the valid statements that bear on readiness, per user id (one query).

    A statement belongs to the trainee whose enrolment's registration it carries; the
    trainee must be its actor too, except for a reviewer's decision (rules.DECISIONS),
    whose actor is the reviewer.
    """
    prefix = activity_iri("")
    requirements = programme.requirements()
    verbs = sorted({r.verb for r in requirements} | {v for r in requirements for v in r.decisive})
    objects = [activity_iri(*r.activity.split("/")) for r in requirements]
    keys = {u.id: agent_key(actor_for(u)) for u in users}
    by_registration = {registrations[u.id]: u.id for u in users if registrations.get(u.id)}
    rows = db.session.execute(
        select(Statement.statement_id, Statement.verb_id, Statement.object_id,
               Statement.timestamp, Statement.seq, Statement.actor_key, Statement.registration,
               Statement.source)
        .where(Statement.registration.in_(list(by_registration)),
               Statement.verb_id.in_(verbs),
               Statement.object_id.in_(objects), Statement.voided.is_(False))).all()
    senders = {r.source for r in rows} - {LMS_SOURCE}
    trusted = {c.key: c for c in db.session.scalars(
        select(LrsClient).where(LrsClient.key.in_(senders)))} if senders else {}
    found: dict[int, list[rules.Record]] = {u.id: [] for u in users}
    for row in rows:
        uid = by_registration[row.registration]
        if row.verb_id not in rules.DECISIONS and row.actor_key != keys[uid]:
            continue
        sender = trusted.get(row.source)
        counted = row.source == LMS_SOURCE or (sender is not None
                                              and sender.trusts(row.verb_id, row.object_id))
        found[uid].append(rules.Record(row.statement_id, row.verb_id,
                                       row.object_id.removeprefix(prefix), row.timestamp,
                                       row.seq, counted=counted))
    return found


def readiness(user, registration: str) -> list[rules.Evidence]:
    """The evidence list of one trainee's enrolment (see :mod:`lms.certification.rules`)."""
    return rules.evidence(records_for([user], {user.id: registration})[user.id],
                          programme.requirements())
