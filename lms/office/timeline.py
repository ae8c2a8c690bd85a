"""A trainee's timeline, read from their xAPI statements, and the records it links to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from lms.assessment.models import QuizAttempt
from lms.auth.models import User
from lms.booking.models import SessionBooking
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.practice.models import PracticeReport
from lms.xapi.index import agent_key
from lms.xapi.models import Statement
from lms.xapi.recorder import actor_for

TIMELINE_LIMIT = 300


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    verb: str
    what: str
    outcome: str
    statement_id: str
    voided: bool


def _display(mapping: dict | None, locale: str) -> str:
    if not mapping:
        return ""
    wanted = "ja-JP" if locale == "ja" else "en-US"
    return mapping.get(wanted) or next(iter(mapping.values()), "")


def _outcome(result: dict | None) -> str:
    if not result:
        return ""
    parts = []
    score = result.get("score") or {}
    if "scaled" in score:
        parts.append(f"{round(score['scaled'] * 100)}%")
    if result.get("success") is True:
        parts.append("✓")
    elif result.get("success") is False:
        parts.append("✗")
    return " ".join(parts)


def timeline(user: User, locale: str, limit: int = TIMELINE_LIMIT) -> list[TimelineEntry]:
    """The trainee's statements, newest first: what they did and what was decided about them."""
    # their own statements, and decisions about them (a reviewer or the committee is the
    # actor then; the enrolment's registration says whose they are)
    registrations = select(Enrolment.registration).where(Enrolment.user_id == user.id)
    rows = db.session.execute(
        select(Statement.payload, Statement.timestamp, Statement.statement_id, Statement.voided)
        .where(or_(Statement.actor_key == agent_key(actor_for(user)),
                   Statement.registration.in_(registrations)))
        .order_by(Statement.timestamp.desc(), Statement.seq.desc()).limit(limit)).all()
    entries = []
    for payload, at, statement_id, voided in rows:
        target = payload.get("object") or {}
        name = _display((target.get("definition") or {}).get("name"), locale) or \
            target.get("id", "")
        entries.append(TimelineEntry(at, _display(payload["verb"].get("display"), locale)
                                     or payload["verb"]["id"], name,
                                     _outcome(payload.get("result")), statement_id, voided))
    return entries


def records(user: User, enrolment_id: int) -> dict[str, list]:
    """The trainee's reports, test attempts and course ② bookings, for links to each."""
    return {
        "reports": list(db.session.execute(select(PracticeReport).filter_by(
            enrolment_id=enrolment_id).order_by(PracticeReport.id)).scalars()),
        "attempts": list(db.session.execute(select(QuizAttempt).filter_by(
            user_id=user.id).order_by(QuizAttempt.started_at)).scalars()),
        "bookings": list(db.session.execute(select(SessionBooking).filter_by(
            user_id=user.id).order_by(SessionBooking.created_at)).scalars()),
    }
