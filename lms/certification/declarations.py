"""Disqualification declarations (欠格事由の申告, §6(1) ア–エ). Functions flush.

Special-care personal information (要配慮個人情報): :func:`read` is the only way a person sees
one, refuses everybody but committee members and administrators, and writes every read to the
audit log. Nothing here puts a ground or a date in a statement, a mail, an audit detail or a
log line: the statement says only that a declaration was submitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lms import audit, xapi
from lms.auth.models import User
from lms.certification import registry, rules
from lms.certification.models import Declaration
from lms.cohorts.models import Enrolment
from lms.errors import UserError
from lms.extensions import db
from lms.security import Role
from lms.timeutil import utcnow
from lms.xapi import vocab

READERS = (Role.COMMITTEE, Role.ADMIN)


class DeclarationError(UserError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class DeclarationInput:
    """What the candidate declares: each ground, and for イ–エ the day it was served/ended."""

    ground_a: bool
    ground_b: bool
    ground_b_since: date | None
    ground_c: bool
    ground_c_since: date | None
    ground_d: bool
    ground_d_since: date | None


def submitted(enrolment: Enrolment) -> bool:
    return db.session.scalar(select(Declaration.id).filter_by(
        enrolment_id=enrolment.id)) is not None


def submitted_on(enrolment: Enrolment):
    """When the declaration was submitted (not its content: the trainee's page shows this)."""
    return db.session.scalar(select(Declaration.submitted_at).filter_by(
        enrolment_id=enrolment.id))


def submit(trainee: User, enrolment: Enrolment, values: DeclarationInput) -> Declaration:
    """Store (or replace, before the committee decided) the candidate's declaration."""
    if enrolment.user_id != trainee.id:
        raise DeclarationError("not_yours")
    row = db.session.scalar(select(Declaration).filter_by(enrolment_id=enrolment.id))
    if row is None:
        row = Declaration(enrolment_id=enrolment.id)
        db.session.add(row)
    for ground in ("b", "c", "d"):  # a date only where the ground applies
        applies = getattr(values, f"ground_{ground}")
        setattr(row, f"ground_{ground}", applies)
        setattr(row, f"ground_{ground}_since",
                getattr(values, f"ground_{ground}_since") if applies else None)
    row.ground_a = values.ground_a
    row.submitted_at = utcnow()
    db.session.flush()
    audit.record(trainee, "declaration.submit", row, {"enrolment": enrolment.id})
    xapi.record(trainee, vocab.SUBMITTED, xapi.activity(
        xapi.activity_iri("certification", "declaration"), vocab.TYPE_DECLARATION,
        "欠格事由の申告", "Disqualification declaration"),
        registration=enrolment.registration)
    return row


def read(reader: User, enrolment: Enrolment) -> Declaration | None:
    """Return the declaration for *reader* to see, writing the read to the audit log."""
    if not reader.has_any_role(READERS):
        raise DeclarationError("not_allowed")
    row = db.session.scalar(select(Declaration).filter_by(enrolment_id=enrolment.id))
    audit.record(reader, "declaration.read", ("Declaration", enrolment.id),
                 {"enrolment": enrolment.id, "found": row is not None})
    return row


def grounds(row: Declaration | None, revoked_on: date | None) -> list[rules.Ground]:
    """The grounds to judge: the declared ones, with エ also from the registry's revocation."""
    found = []
    if row is not None:
        found += [rules.Ground("ア", row.ground_a),
                  rules.Ground("イ", row.ground_b, row.ground_b_since),
                  rules.Ground("ウ", row.ground_c, row.ground_c_since),
                  rules.Ground("エ", row.ground_d, row.ground_d_since)]
    if revoked_on is not None:
        found.append(rules.Ground("エ", True, revoked_on))
    return found


def flags(enrolment: Enrolment, decision_day: date) -> list[str]:
    """The grounds that bar certifying *enrolment* on *decision_day* (a check, not a read)."""
    row = db.session.scalar(select(Declaration).filter_by(enrolment_id=enrolment.id))
    revoked = registry.latest_revocation_date(enrolment.user_id)
    return rules.disqualifying(grounds(row, revoked), decision_day)
