"""What a statement is indexed under: agent keys, related agents and activities (pure).

The LRS filters ``agent``/``related_agents`` and ``activity``/``related_activities`` read these
keys from the ``statement_ref`` table, so the rules of xAPI 1.0.3 §2.1.3 live here once.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
MAX_KEY = 250


class RefKind(IntEnum):
    """How a key occurs in a statement: directly (actor/object) or only as related."""

    AGENT = 1  #: the actor, or the object when it is an agent or group
    RELATED_AGENT = 2  #: authority, instructor, team, or inside a SubStatement
    ACTIVITY = 3  #: the object, when it is an activity
    RELATED_ACTIVITY = 4  #: a context activity, or inside a SubStatement
    TARGET_VERB = 5  #: the verb of the statement this one targets by StatementRef


def agent_key(agent: dict[str, Any]) -> str | None:
    """Return the key under which *agent* matches (objectType + IFI), or None if anonymous.

    Agents and identified groups are equal when they have the same objectType and the same
    inverse functional identifier (xAPI 1.0.3, Statements GET ``agent``).
    """
    kind = "Group" if agent.get("objectType") == "Group" else "Agent"
    for ifi in IFIS:
        if ifi in agent:
            value = agent[ifi]
            if ifi == "account":
                value = f"{value.get('homePage')}|{value.get('name')}"
            key = f"{kind}|{ifi}|{value}"
            if len(key) > MAX_KEY:
                key = f"{kind}|{ifi}|sha256:" + hashlib.sha256(str(value).encode()).hexdigest()
            return key
    return None


def target_verb_key(verb_id: str) -> str:
    """The ``statement_ref`` key under which statements targeting one with *verb_id* match."""
    key = "verb:" + verb_id
    return key if len(key) <= 500 else "verb:sha256:" + hashlib.sha256(
        verb_id.encode()).hexdigest()


def is_agent(obj: dict[str, Any]) -> bool:
    return obj.get("objectType") in ("Agent", "Group")


def is_activity(obj: dict[str, Any]) -> bool:
    return obj.get("objectType", "Activity") == "Activity"


def _context_activities(context: dict[str, Any] | None) -> list[str]:
    found: list[str] = []
    for kind in ("parent", "grouping", "category", "other"):
        value = (context or {}).get("contextActivities", {}).get(kind) or []
        if isinstance(value, dict):  # a single activity is allowed in 1.0.x
            value = [value]
        found.extend(a["id"] for a in value if isinstance(a, dict) and "id" in a)
    return found


def _context_agents(context: dict[str, Any] | None) -> list[dict]:
    return [a for a in ((context or {}).get("instructor"), (context or {}).get("team")) if a]


def refs(statement: dict[str, Any]) -> dict[str, RefKind]:
    """Return every agent and activity key of *statement* with the strongest way it occurs."""
    found: dict[str, RefKind] = {}

    def add(key: str | None, kind: RefKind) -> None:
        if key is None:
            return
        if key not in found or kind < found[key]:
            found[key] = kind

    obj = statement.get("object", {})
    add(agent_key(statement["actor"]), RefKind.AGENT)
    if is_agent(obj):
        add(agent_key(obj), RefKind.AGENT)
    elif is_activity(obj):
        add(obj["id"], RefKind.ACTIVITY)
    for agent in (statement.get("authority"), *_context_agents(statement.get("context"))):
        if agent:
            add(agent_key(agent), RefKind.RELATED_AGENT)
    for iri in _context_activities(statement.get("context")):
        add(iri, RefKind.RELATED_ACTIVITY)
    if obj.get("objectType") == "SubStatement":
        add(agent_key(obj["actor"]), RefKind.RELATED_AGENT)
        inner = obj.get("object", {})
        if is_agent(inner):
            add(agent_key(inner), RefKind.RELATED_AGENT)
        elif is_activity(inner):
            add(inner["id"], RefKind.RELATED_ACTIVITY)
        for agent in _context_agents(obj.get("context")):
            add(agent_key(agent), RefKind.RELATED_AGENT)
        for iri in _context_activities(obj.get("context")):
            add(iri, RefKind.RELATED_ACTIVITY)
    return found


def object_key(statement: dict[str, Any]) -> str:
    """Return the statement's object column value: an activity IRI, agent key or statement id."""
    obj = statement["object"]
    if is_agent(obj):
        return agent_key(obj) or "Group|anonymous"
    if obj.get("objectType") == "SubStatement":
        return "SubStatement"
    return obj["id"]


def ref_target(statement: dict[str, Any]) -> str | None:
    """Return the id of the statement this one targets by StatementRef, if any."""
    obj = statement.get("object", {})
    return obj.get("id") if obj.get("objectType") == "StatementRef" else None


def is_voiding(statement: dict[str, Any]) -> bool:
    return statement["verb"]["id"] == VOIDED_VERB and ref_target(statement) is not None


IGNORED_IN_COMPARISON = ("stored", "authority", "version")


def same_statement(incoming: dict[str, Any], existing: dict[str, Any]) -> bool:
    """Whether a re-sent statement matches the stored one (then the LRS accepts it again).

    ``stored``, ``authority`` and ``version`` are set by LRSs, and a timestamp the client
    left out was set by the LRS too, so they are not compared.
    """
    def strip(s: dict[str, Any], keep_timestamp: bool) -> dict[str, Any]:
        out = {k: v for k, v in s.items() if k not in IGNORED_IN_COMPARISON}
        if not keep_timestamp:
            out.pop("timestamp", None)
        return out

    keep = "timestamp" in incoming
    return _normal(strip(incoming, keep)) == _normal(strip(existing, keep))


def _normal(value: Any) -> Any:
    """Compare timestamps as instants and ignore key order (dicts compare unordered)."""
    if isinstance(value, dict):
        return {k: (_instant(v) if k in ("timestamp", "stored") else _normal(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def parse_timestamp(value: str) -> datetime:
    """An xAPI timestamp as an aware datetime; one without an offset is taken as UTC.

    Raises ValueError if *value* is not ISO 8601.
    """
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _instant(value: Any) -> Any:
    try:
        return parse_timestamp(str(value)).timestamp()
    except ValueError:
        return value
