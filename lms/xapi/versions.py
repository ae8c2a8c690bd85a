"""Statements as a client of one xAPI version reads them (pure): the LRS and forwarding."""

from __future__ import annotations

from typing import Any


def for_version_1(statement: dict[str, Any]) -> dict[str, Any]:
    """A statement as a 1.0.3 client reads it: without the 2.0 context properties, and with
    a 1.0 version (statements are stored once, in the form they were sent)."""
    if not str(statement.get("version", "1.0.0")).startswith("2."):
        return statement
    out = dict(statement, version="1.0.0", object=dict(statement["object"]))
    for holder in (out, out["object"]):
        if isinstance(holder.get("context"), dict):
            holder["context"] = {k: v for k, v in holder["context"].items()
                                 if k not in ("contextAgents", "contextGroups")}
    return out
