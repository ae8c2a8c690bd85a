"""Build, validate (ralph-malph) and store statements in the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import current_app
from ralph.models.xapi.base.statements import BaseXapiStatement

from lms.extensions import db
from lms.timeutil import utcnow
from lms.xapi.models import Statement
from lms.xapi.vocab import Verb


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


def activity(iri: str, type_iri: str, name_ja: str, name_en: str | None = None) -> dict:
    names = {"ja-JP": name_ja}
    if name_en:
        names["en-US"] = name_en
    return {"objectType": "Activity", "id": iri, "definition": {"type": type_iri, "name": names}}


def agent_key(agent: dict[str, Any]) -> str:
    """Return the canonical key under which an agent's statements are indexed."""
    if "account" in agent:
        return f"account:{agent['account']['homePage']}|{agent['account']['name']}"
    for ifi in ("mbox", "mbox_sha1sum", "openid"):
        if ifi in agent:
            return f"{ifi}:{agent[ifi]}"
    return "group:anonymous"


def validate(statement: dict[str, Any]) -> dict[str, Any]:
    """Return *statement* normalised by ralph-malph's xAPI model, or raise InvalidStatement."""
    try:
        model = BaseXapiStatement(**statement)
    except Exception as exc:  # pydantic.ValidationError and friends
        raise InvalidStatement(str(exc)) from exc
    return model.model_dump(mode="json", exclude_none=True, by_alias=True)


def record(
    user,
    verb: Verb,
    obj: dict[str, Any],
    *,
    result: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    registration: str | None = None,
    timestamp: datetime | None = None,
) -> Statement:
    """Store one statement about *user*; flushes, and commits with the caller's change."""
    when = timestamp or utcnow()
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": actor_for(user),
        "verb": verb.as_dict(),
        "object": obj,
        "timestamp": when.isoformat(),
    }
    if result:
        statement["result"] = result
    ctx = dict(context or {})
    if registration:
        ctx["registration"] = registration
    ctx.setdefault("platform", "coordinator-lms")
    ctx.setdefault("language", "ja-JP")
    statement["context"] = ctx
    clean = validate(statement)
    row = Statement(
        statement_id=clean["id"],
        timestamp=when,
        actor_key=agent_key(clean["actor"]),
        verb_id=clean["verb"]["id"],
        object_id=clean["object"]["id"],
        registration=registration,
        payload=clean,
    )
    db.session.add(row)
    db.session.flush()
    return row
