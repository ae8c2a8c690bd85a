"""Build, validate (ralph-malph) and store statements in the caller's transaction."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from flask import current_app
from ralph.models.xapi.base.statements import BaseXapiStatement
from sqlalchemy import select

from lms.extensions import db
from lms.timeutil import utcnow
from lms.xapi import store
from lms.xapi.index import agent_key
from lms.xapi.models import Statement
from lms.xapi.vocab import VOIDED, LmsTerm, Verb, iri


class InvalidStatement(ValueError):
    """The statement does not validate against the xAPI models."""


def actor_for(user) -> dict[str, Any]:
    """Return the xAPI agent for *user*: an account with an opaque id, never the e-mail."""
    return {
        "objectType": "Agent",
        "name": user.name,
        "account": {"homePage": current_app.config["BASE_URL"], "name": user.public_id},
    }


def activity_iri(*parts: str) -> str:
    """Return a stable activity IRI under the LMS's base URL."""
    return "/".join([current_app.config["BASE_URL"].rstrip("/"), "xapi", "activities", *parts])


def activity(activity_id: str, type_iri: str | LmsTerm, name_ja: str,
             name_en: str | None = None, **definition: Any) -> dict:
    """An Activity with its type and its name in Japanese and English (and any further
    definition fields, e.g. an interaction's). Give *name_en*; without it the English name
    is made from the activity's path (``Activity quizzes/group-a``)."""
    if not name_en:
        name_en = "Activity " + (activity_id.partition("/xapi/activities/")[2] or activity_id)
    return {"objectType": "Activity", "id": activity_id,
            "definition": {"type": iri(type_iri), "name": {"ja-JP": name_ja, "en-US": name_en},
                           **definition}}


def lms_agent() -> dict[str, Any]:
    """The LMS itself (the secretariat's automatic jobs) as an actor, and as authority."""
    return {"objectType": "Agent", "name": "coordinator-lms",
            "account": {"homePage": current_app.config["BASE_URL"], "name": "lms"}}


def validate(statement: dict[str, Any]) -> dict[str, Any]:
    """Return a JSON copy of *statement* once ralph-malph's xAPI model and the strict type
    rules accept it, or raise InvalidStatement.

    The statement is stored as built, not as ralph dumps it: its JSON dump turns decimals
    such as ``result.score.scaled`` into strings, which other LRSs rightly refuse.
    """
    problem = strict_type_problem(statement)
    if problem:
        raise InvalidStatement(problem)
    try:
        BaseXapiStatement(**statement)
    except Exception as exc:  # pydantic.ValidationError and friends
        raise InvalidStatement(str(exc)) from exc
    return json.loads(json.dumps(statement))


def strict_type_problem(statement: dict[str, Any]) -> str | None:
    """What pydantic's lax coercion would let through: numbers as strings, "true" as a bool."""
    for holder in (statement, statement.get("object") or {}):
        result = holder.get("result") if isinstance(holder, dict) else None
        if not isinstance(result, dict):
            continue
        for key in ("success", "completion"):
            if key in result and not isinstance(result[key], bool):
                return f"result.{key} must be true or false"
        score = result.get("score")
        if isinstance(score, dict):
            for key in ("scaled", "raw", "min", "max"):
                value = score.get(key)
                if key in score and (isinstance(value, bool)
                                     or not isinstance(value, int | float)):
                    return f"result.score.{key} must be a number"
    return None


def record(
    user,
    verb: Verb,
    obj: dict[str, Any],
    *,
    result: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    registration: str | None = None,
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """Store one statement with *user* as actor (the LMS itself if None) and return it;
    flushes, commits with the caller."""
    when = timestamp or utcnow()
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": actor_for(user) if user is not None else lms_agent(),
        "verb": verb.as_dict(),
        "object": obj,
        "timestamp": when.isoformat(),
    }
    if result:
        statement["result"] = result
    ctx = dict(context or {})
    if registration:
        ctx["registration"] = registration
    if obj.get("objectType", "Activity") == "Activity":  # xAPI allows platform only then
        ctx.setdefault("platform", "coordinator-lms")
    ctx.setdefault("language", "ja-JP")
    statement["context"] = ctx
    return _store(statement)


def _store(statement: dict[str, Any]) -> dict[str, Any]:
    """Validate, add what the LRS sets (stored, authority, version), store; return it."""
    clean = validate(statement)
    clean["stored"] = utcnow().isoformat()
    clean["authority"] = lms_authority()
    clean["version"] = "1.0.0"
    store.save([clean], source=store.LMS_SOURCE)
    return clean


def lms_authority() -> dict[str, Any]:
    """The agent that vouches for the LMS's own statements."""
    return lms_agent()


def void(user, statement_id: str) -> dict[str, Any]:
    """Void a stored statement: *user* (the member of staff correcting it) is the actor."""
    return _store({
        "id": str(uuid.uuid4()),
        "actor": actor_for(user),
        "verb": VOIDED.as_dict(),
        "object": {"objectType": "StatementRef", "id": statement_id},
        "timestamp": utcnow().isoformat(),
    })


def latest(user, verbs: list[Verb], object_iri: str, registration: str | None) -> str | None:
    """Return the id of *user*'s latest valid statement with one of *verbs* about *object_iri*
    that the LMS recorded (the LMS voids only its own statements)."""
    return db.session.scalar(
        select(Statement.statement_id).where(Statement.source == store.LMS_SOURCE,
            Statement.actor_key == agent_key(actor_for(user)),
            Statement.verb_id.in_([v.id for v in verbs]), Statement.object_id == object_iri,
            Statement.registration == registration, Statement.voided.is_(False))
        .order_by(Statement.seq.desc()).limit(1))
