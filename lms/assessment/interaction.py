"""A question as an xAPI interaction (xAPI 1.0.3 §2.4.4.1), and a response in its format.

Pure. The definition holds the correct responses, so it goes only into statements (stored
server-side), never into pages a trainee sees.
"""

from __future__ import annotations

from typing import Any

SEP = "[,]"


def definition(question: dict[str, Any]) -> dict[str, Any]:
    """The interaction fields of a question's activity definition, correct responses included."""
    kind = question["type"]
    if kind in ("single", "multiple"):
        right = sorted(o["id"] for o in question["options"] if o.get("correct"))
        return {"interactionType": "choice",
                "correctResponsesPattern": [SEP.join(right)],
                "choices": [{"id": o["id"], "description": {"ja-JP": o["text"]}}
                            for o in question["options"]]}
    if kind == "true_false":
        return {"interactionType": "true-false",
                "correctResponsesPattern": ["true" if question["answer"] else "false"]}
    if kind == "short_text":
        return {"interactionType": "fill-in",
                "correctResponsesPattern": list(question["accepted"])}
    if kind == "ordering":
        ids = [_item(i) for i in range(len(question["items"]))]
        return {"interactionType": "sequencing", "correctResponsesPattern": [SEP.join(ids)],
                "choices": [{"id": _item(i), "description": {"ja-JP": text}}
                            for i, text in enumerate(question["items"])]}
    return {"interactionType": "other"}


def response(question: dict[str, Any], raw: Any) -> str:
    """A stored response in the interaction's response format."""
    kind = question["type"]
    if raw is None:
        return ""
    if kind == "true_false":
        return str(raw).strip().lower() if not isinstance(raw, bool) else str(raw).lower()
    if kind == "ordering" and isinstance(raw, list | tuple):
        return SEP.join(_item(i) if isinstance(i, int) else str(i) for i in raw)
    if isinstance(raw, list | tuple):  # multiple choice: picks in the pattern's order
        return SEP.join(sorted(str(r) for r in raw))
    return str(raw)


def _item(index: int) -> str:
    return f"item-{index}"
