"""Statements GET: parameters, filters, ``more`` paging over a consistent snapshot."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ColumnElement, func, or_, select

from lms.extensions import db
from lms.lrs import validation
from lms.lrs.formats import FORMATS
from lms.lrs.protocol import LrsError
from lms.xapi import index
from lms.xapi.index import RefKind
from lms.xapi.models import Statement, StatementRef

FILTERS = ("agent", "verb", "activity", "registration", "related_activities", "related_agents",
           "since", "until", "limit", "format", "attachments", "ascending")
SINGLE = ("statementId", "voidedStatementId")
MAX_LIMIT = 500


@dataclass
class Page:
    statements: list[dict[str, Any]]
    stored: list[datetime]
    more: str | None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="xapi-more")


def _bool(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise LrsError(400, f"{name} must be true or false.")
    return value == "true"


def uuid_param(value: str, name: str) -> str:
    """Return *value* as a canonical UUID, or 400 naming the parameter."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise LrsError(400, f"{name} must be a UUID.") from None


def time_param(value: str, name: str) -> datetime:
    """Return *value* as an aware timestamp (UTC if it has no offset), or 400."""
    try:
        return index.parse_timestamp(value)
    except ValueError:
        raise LrsError(400, f"{name} must be an ISO 8601 timestamp.") from None


def parse_agent(value: str, name: str = "agent") -> str:
    """Return the index key of an agent parameter, or 400 unless it identifies one agent."""
    try:
        agent = json.loads(value)
    except ValueError:
        raise LrsError(400, f"{name} must be a JSON agent object.") from None
    if not isinstance(agent, dict) or agent.get("objectType", "Agent") not in ("Agent", "Group"):
        raise LrsError(400, f"{name} must be a JSON agent object.")
    try:
        validation.no_nul(agent, name)
    except validation.Invalid as exc:
        raise LrsError(400, str(exc)) from None
    ifis = [i for i in index.IFIS if i in agent]
    if len(ifis) != 1:
        raise LrsError(400, f"{name} must have exactly one identifier (mbox, mbox_sha1sum, "
                            "openid or account).")
    account = agent.get("account")
    if account is not None and not (isinstance(account, dict) and {"homePage", "name"}
                                    <= set(account)):
        raise LrsError(400, f"{name}: an account needs homePage and name.")
    key = index.agent_key(agent)
    if key is None:  # not reached: exactly one identifier was checked above
        raise LrsError(400, f"{name} must have exactly one identifier.")
    return key


def check_params(params: dict[str, str]) -> None:
    unknown = set(params) - set(FILTERS) - set(SINGLE) - {"more"}
    if unknown:
        raise LrsError(400, "Unknown parameter(s): " + ", ".join(sorted(unknown)))
    single = [p for p in SINGLE if p in params]
    if len(single) > 1:
        raise LrsError(400, "Use statementId or voidedStatementId, not both.")
    if single and set(params) - {single[0], "format", "attachments"}:
        raise LrsError(400, f"{single[0]} can only be combined with format and attachments.")
    if params.get("format", "exact") not in FORMATS:
        raise LrsError(400, "format must be exact, ids or canonical.")
    _bool(params, "attachments")


def get_one(params: dict[str, str]) -> Statement:
    """Return the statement named by statementId (not voided) or voidedStatementId (voided)."""
    name = "statementId" if "statementId" in params else "voidedStatementId"
    sid = uuid_param(params[name], name)
    row = db.session.execute(select(Statement).where(Statement.statement_id == sid)
                             ).scalar_one_or_none()
    if row is None or row.voided != (name == "voidedStatementId"):
        raise LrsError(404, f"No statement with {name} {sid}.")
    return row


def _ref_filter(key: str, kinds: tuple[RefKind, ...]) -> ColumnElement[bool]:
    return Statement.seq.in_(select(StatementRef.statement_seq).where(
        StatementRef.key == key, StatementRef.kind.in_([int(k) for k in kinds])))


def conditions(params: dict[str, str]) -> list[ColumnElement[bool]]:
    """Return the SQL conditions of the filter parameters (400 on a malformed one)."""
    where: list[ColumnElement[bool]] = [Statement.voided.is_(False)]
    if "agent" in params:
        kinds = (RefKind.AGENT, RefKind.RELATED_AGENT) if _bool(params, "related_agents") \
            else (RefKind.AGENT,)
        where.append(_ref_filter(parse_agent(params["agent"]), kinds))
    else:
        _bool(params, "related_agents")
    if "verb" in params:  # statements targeting one with the verb match too
        where.append(_verb_filter(params["verb"]))
    if "activity" in params:
        kinds = (RefKind.ACTIVITY, RefKind.RELATED_ACTIVITY) \
            if _bool(params, "related_activities") else (RefKind.ACTIVITY,)
        where.append(_ref_filter(params["activity"], kinds))
    else:
        _bool(params, "related_activities")
    if "registration" in params:
        where.append(Statement.registration == uuid_param(params["registration"], "registration"))
    if "since" in params:
        where.append(Statement.stored_at > time_param(params["since"], "since"))
    if "until" in params:
        where.append(Statement.stored_at <= time_param(params["until"], "until"))
    return where


def _verb_filter(verb: str) -> ColumnElement[bool]:
    """The statements with *verb*, and those targeting one with it (by StatementRef).

    Few verbs are ever targeted: without such a statement the filter is the verb alone, so
    the newest matches come from the (verb, seq) index however rare the verb (an OR with the
    targeting refs walks the whole store backwards looking for a rare verb).
    """
    targeting = index.target_verb_key(verb)
    targeted = db.session.scalar(select(StatementRef.statement_seq).where(
        StatementRef.key == targeting, StatementRef.kind == int(RefKind.TARGET_VERB)).limit(1))
    if targeted is None:
        return Statement.verb_id == verb
    return or_(Statement.verb_id == verb, _ref_filter(targeting, (RefKind.TARGET_VERB,)))


def _limit(params: dict[str, str]) -> int:
    try:
        limit = int(params.get("limit", "0"))
    except ValueError:
        raise LrsError(400, "limit must be a non-negative integer.") from None
    if limit < 0:
        raise LrsError(400, "limit must be a non-negative integer.")
    return MAX_LIMIT if limit == 0 else min(limit, MAX_LIMIT)


def search(params: dict[str, str]) -> tuple[Page, dict[str, str]]:
    """Return one page of matching statements and the parameters it was asked with.

    The first page fixes a snapshot (the highest stored seq); ``more`` continues after the
    last statement shown, within that snapshot, so pages neither repeat nor skip.
    """
    if "more" in params:
        try:
            state = _serializer().loads(params["more"])
        except BadSignature:
            raise LrsError(400, "The more token is invalid.") from None
        params, after, ceiling = state["p"], state["a"], state["m"]
    else:
        check_params(params)
        after = None
        ceiling = db.session.scalar(select(func.max(Statement.seq))) or 0
    ascending = _bool(params, "ascending")
    limit = _limit(params)
    where = conditions(params) + [Statement.seq <= ceiling]
    if after is not None:
        where.append(Statement.seq > after if ascending else Statement.seq < after)
    order = Statement.seq.asc() if ascending else Statement.seq.desc()
    rows = db.session.execute(select(Statement.seq, Statement.payload, Statement.stored_at)
                              .where(*where).order_by(order).limit(limit + 1)).all()
    more = None
    if len(rows) > limit:
        rows = rows[:limit]
        more = _serializer().dumps({"p": params, "a": rows[-1].seq, "m": ceiling})
    return Page([r.payload for r in rows], [r.stored_at for r in rows], more), params
