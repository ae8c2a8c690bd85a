"""The ``format`` parameter of Statements GET: exact, ids or canonical (pure)."""

from __future__ import annotations

import copy
from typing import Any

from lms.xapi.index import IFIS
from lms.xapi.versions import for_version_1

__all__ = ["FORMATS", "accept_languages", "canonical", "canonical_context", "for_version_1",
           "ids_only", "merge_definitions"]

FORMATS = ("exact", "ids", "canonical")
_LANGUAGE_MAPS = ("display", "name", "description")


def ids_only(statement: dict[str, Any]) -> dict[str, Any]:
    """Keep only what identifies agents, groups, activities and verbs (``format=ids``)."""
    out = copy.deepcopy(statement)

    def agent(a: dict[str, Any]) -> dict[str, Any]:
        kept = {k: a[k] for k in ("objectType", *IFIS) if k in a}
        if a.get("objectType") == "Group" and not any(i in a for i in IFIS):
            kept["member"] = [agent(m) for m in a.get("member", [])]
        return kept

    def obj(o: dict[str, Any]) -> dict[str, Any]:
        kind = o.get("objectType", "Activity")
        if kind in ("Agent", "Group"):
            return agent(o)
        if kind == "Activity":
            return {"objectType": "Activity", "id": o["id"]}
        if kind == "SubStatement":
            return _statement_ids(o, agent, obj)
        return o

    return _statement_ids(out, agent, obj)


def _statement_ids(s: dict[str, Any], agent, obj) -> dict[str, Any]:
    s["actor"] = agent(s["actor"])
    s["verb"] = {"id": s["verb"]["id"]}
    s["object"] = obj(s["object"])
    if "authority" in s:
        s["authority"] = agent(s["authority"])
    context = s.get("context")
    if context:
        for key in ("instructor", "team"):
            if key in context:
                context[key] = agent(context[key])
        for kind, acts in context.get("contextActivities", {}).items():
            acts = acts if isinstance(acts, list) else [acts]
            context["contextActivities"][kind] = [{"objectType": "Activity", "id": a["id"]}
                                                  for a in acts]
    return s


def canonical_context(statement: dict[str, Any]) -> dict[str, Any]:
    """Return *statement* with every single context activity as a one-element array (the
    form xAPI 1.0.3 §2.4.6.2 says the LRS returns), in the statement and a SubStatement."""
    holders = [statement]
    if isinstance(statement.get("object"), dict) and \
            statement["object"].get("objectType") == "SubStatement":
        statement["object"] = dict(statement["object"])
        holders.append(statement["object"])
    for holder in holders:
        context = holder.get("context")
        if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
            holder["context"] = {**context, "contextActivities": {
                kind: value if isinstance(value, list) else [value]
                for kind, value in context["contextActivities"].items()}}
    return statement


def merge_definitions(definitions: list[dict[str, Any]]) -> dict[str, Any]:
    """One activity definition from those statements gave it, oldest first: language maps
    are joined (a later text wins in its language), other properties the latest wins."""
    merged: dict[str, Any] = {}
    for definition in definitions:
        for key, value in definition.items():
            if key in ("name", "description") and isinstance(value, dict):
                merged[key] = {**merged.get(key, {}), **value}
            elif key == "extensions" and isinstance(value, dict):
                merged[key] = {**merged.get(key, {}), **value}
            else:
                merged[key] = value
    return merged


def canonical(statement: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    """Reduce every language map to the one language the reader prefers (``format=canonical``)."""

    def pick(value: dict[str, str]) -> dict[str, str]:
        for lang in languages:
            for tag, text in value.items():
                if tag.lower() == lang.lower() or tag.lower().split("-")[0] == lang.lower():
                    return {tag: text}
        first = next(iter(value.items()), None)
        return dict([first]) if first else {}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (pick(v) if k in _LANGUAGE_MAPS and isinstance(v, dict) else walk(v))
                    for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(statement)


def accept_languages(header: str | None) -> list[str]:
    """Return the languages of an Accept-Language header, most preferred first."""
    ranked = []
    for i, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and tag != "*":
            ranked.append((-q, i, tag))
    return [tag for _, _, tag in sorted(ranked)]
