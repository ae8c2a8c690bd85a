"""Statement validation as xAPI 1.0.3 (Data §2.4) and 2.0 (IEEE 9274.1.1) say (pure).

ralph-malph's models are right about most of a statement and are kept for that, but they are
stricter than the specification in a few places (a Group as instructor, an Agent as a
SubStatement's object, empty objects, ``"version": "1.0"``, the 2.0 context properties) and
looser in others (openid, durations, authority, attachments). This layer decides those places
and gives errors that name the field, in English. :func:`check` runs it, then ralph on a view
of the statement with the places this layer decided taken out.
"""

from __future__ import annotations

from typing import Any

from ralph.models.xapi.base.statements import BaseXapiStatement

from lms.lrs.rules import Invalid, Validator, no_nul

__all__ = ["Invalid", "check", "no_nul", "ralph_check", "ralph_view"]


def check(statement: Any, version: str = "1.0.3") -> None:
    """Raise :class:`Invalid` unless *statement* is valid in xAPI *version* (1.0.3 or 2.0.0)."""
    v2 = version.startswith("2.")
    no_nul(statement, "")
    Validator(v2).statement(statement)
    ralph_check(statement)


# --- ralph, where it is right ---------------------------------------------------------------
_PLACEHOLDER_AGENT = {"objectType": "Agent", "mbox": "mailto:checked@example.com"}
_PLACEHOLDER_ACTIVITY = {"objectType": "Activity", "id": "http://example.com/checked"}


def ralph_view(statement: dict) -> dict:
    """A copy of *statement* with the parts this layer decided replaced by neutral ones.

    ralph refuses, though the specification allows: a Group as instructor, an Agent or Group
    as a SubStatement's object, empty objects, ``version`` "1.0" or 2.0.x, and the 2.0
    context properties. This layer has checked those parts; ralph checks the rest.
    """

    def strip_empty(node: Any) -> Any:
        if isinstance(node, dict):
            stripped = {k: strip_empty(v) for k, v in node.items()}
            return {k: v for k, v in stripped.items() if v != {}}
        if isinstance(node, list):
            return [strip_empty(v) for v in node]
        return node

    view = strip_empty(statement)
    view.pop("version", None)
    view.pop("authority", None)
    for holder in (view, view.get("object") if isinstance(view.get("object"), dict) else {}):
        context = holder.get("context")
        if isinstance(context, dict):
            for key in ("contextAgents", "contextGroups"):
                context.pop(key, None)
            if "instructor" in context:
                context["instructor"] = dict(_PLACEHOLDER_AGENT)
            if "team" in context:
                context["team"] = {"objectType": "Group", "mbox": "mailto:team@example.com"}
            if not context:
                holder.pop("context")
    obj = view.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        inner = obj.get("object")
        if isinstance(inner, dict) and inner.get("objectType") in ("Agent", "Group"):
            obj["object"] = dict(_PLACEHOLDER_ACTIVITY)
            context = obj.get("context")
            if isinstance(context, dict):
                context.pop("revision", None)
                context.pop("platform", None)
    return view


def ralph_check(statement: dict) -> None:
    """Run ralph-malph's model on :func:`ralph_view`; its refusal names the field."""
    try:
        BaseXapiStatement(**ralph_view(statement))
    except Exception as exc:  # pydantic.ValidationError
        errors: list[dict[str, Any]] = getattr(exc, "errors", lambda: [])()
        if not errors:
            raise Invalid("", "the statement is not valid xAPI") from None
        first = errors[0]
        path = ".".join(str(p) for p in first.get("loc", ())
                        if isinstance(p, int | str) and not str(p)[:1].isupper()
                        and not str(p).startswith("["))
        kind = first.get("type", "")
        problem = {"missing": "is required", "extra_forbidden": "is not a property xAPI "
                   "allows here"}.get(kind, "has a value xAPI does not allow here")
        raise Invalid(path, problem) from None
