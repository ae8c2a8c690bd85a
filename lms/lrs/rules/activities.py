"""Objects other than SubStatements (Data §2.4.4): Activities with their definitions and
interaction components, and StatementRefs (pure)."""

from __future__ import annotations

from typing import Any

from lms.lrs.rules.primitives import (
    COMPONENT_LISTS,
    INTERACTION_TYPES,
    Invalid,
    Primitives,
    only_keys,
)
from lms.xapi.index import IFIS


class ActivityRules(Primitives):
    """Activities (as object or in context) and StatementRefs."""

    def activity(self, value: Any, path: str) -> None:
        activity = self.obj(value, path)
        if "objectType" not in activity and any(i in activity for i in (*IFIS, "member")):
            raise Invalid(f"{path}.objectType", "is required for an Agent or Group object")
        only_keys(activity, {"objectType", "id", "definition"}, path)
        if activity.get("objectType", "Activity") != "Activity":
            raise Invalid(f"{path}.objectType", "must be Activity")
        if "id" not in activity:
            raise Invalid(f"{path}.id", "is required (an object without objectType is an "
                                        "Activity)")
        self.iri(activity["id"], f"{path}.id")
        if "definition" in activity:
            self.definition(activity["definition"], f"{path}.definition")

    def definition(self, value: Any, path: str) -> None:
        definition = self.obj(value, path)
        only_keys(definition, {"name", "description", "type", "moreInfo", "extensions",
                           "interactionType", "correctResponsesPattern", *COMPONENT_LISTS},
              path)
        for key in ("name", "description"):
            if key in definition:
                self.language_map(definition[key], f"{path}.{key}")
        for key in ("type", "moreInfo"):
            if key in definition:
                self.iri(definition[key], f"{path}.{key}", limit=2048)
        if "extensions" in definition:
            self.extensions(definition["extensions"], f"{path}.extensions")
        kind = definition.get("interactionType")
        if kind is not None and kind not in INTERACTION_TYPES:
            raise Invalid(f"{path}.interactionType", "is not an xAPI interaction type")
        pattern = definition.get("correctResponsesPattern")
        if pattern is not None and not (isinstance(pattern, list)
                                        and all(isinstance(p, str) for p in pattern)):
            raise Invalid(f"{path}.correctResponsesPattern", "must be an array of strings")
        for key in COMPONENT_LISTS:
            if key not in definition:
                continue
            if kind is None:
                raise Invalid(f"{path}.{key}", "needs an interactionType")
            components = definition[key]
            if not isinstance(components, list):
                raise Invalid(f"{path}.{key}", "must be an array of interaction components")
            seen = set()
            for i, component in enumerate(components):
                where = f"{path}.{key}[{i}]"
                only_keys(self.obj(component, where), {"id", "description"}, where)
                self.string(component.get("id"), f"{where}.id")
                if component["id"] in seen:
                    raise Invalid(f"{where}.id", "repeats an id of the same list")
                seen.add(component["id"])
                if "description" in component:
                    self.language_map(component["description"], f"{where}.description")

    def statement_ref(self, value: dict, path: str) -> None:
        only_keys(value, {"objectType", "id"}, path)
        if "id" not in value:
            raise Invalid(f"{path}.id", "is required")
        self.uuid(value["id"], f"{path}.id")
