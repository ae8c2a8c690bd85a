"""Context (Data §2.4.6): registration, instructor, team, context activities, and xAPI 2.0's
contextAgents and contextGroups (pure)."""

from __future__ import annotations

from typing import Any

from lms.lrs.rules.activities import ActivityRules
from lms.lrs.rules.actors import ActorRules
from lms.lrs.rules.primitives import LANGUAGE_TAG, Invalid, only_keys


class ContextRules(ActorRules, ActivityRules):
    """A statement's or SubStatement's context; *object_kind* limits revision and platform."""

    def context(self, value: Any, path: str, object_kind: str) -> None:
        context = self.obj(value, path)
        allowed = {"registration", "instructor", "team", "contextActivities", "revision",
                   "platform", "language", "statement", "extensions"}
        if self.v2:
            allowed |= {"contextAgents", "contextGroups"}
        only_keys(context, allowed, path)
        if "registration" in context:
            self.uuid(context["registration"], f"{path}.registration")
        if "instructor" in context:
            self.actor(context["instructor"], f"{path}.instructor")
        if "team" in context:
            self.group(context["team"], f"{path}.team")
        for key in ("revision", "platform"):
            if key in context:
                self.string(context[key], f"{path}.{key}")
                if object_kind != "Activity":
                    raise Invalid(f"{path}.{key}", "is allowed only when the object is an "
                                                   "Activity")
        if "language" in context and not LANGUAGE_TAG.match(
                self.string(context["language"], f"{path}.language")):
            raise Invalid(f"{path}.language", "is not an RFC 5646 language tag")
        if "statement" in context:
            ref = self.obj(context["statement"], f"{path}.statement")
            if ref.get("objectType") != "StatementRef":
                raise Invalid(f"{path}.statement.objectType", "must be StatementRef")
            self.statement_ref(ref, f"{path}.statement")
        if "extensions" in context:
            self.extensions(context["extensions"], f"{path}.extensions")
        if "contextActivities" in context:
            activities = self.obj(context["contextActivities"], f"{path}.contextActivities")
            only_keys(activities, {"parent", "grouping", "category", "other"},
                  f"{path}.contextActivities")
            for kind, items in activities.items():
                where = f"{path}.contextActivities.{kind}"
                for i, item in enumerate(items if isinstance(items, list) else [items]):
                    self.activity(item, f"{where}[{i}]" if isinstance(items, list) else where)
        for key, inner, role in (("contextAgents", "agent", "contextAgent"),
                                 ("contextGroups", "group", "contextGroup")):
            if key in context:
                self.context_members(context[key], f"{path}.{key}", inner, role)

    def context_members(self, value: Any, path: str, inner: str, role: str) -> None:
        """xAPI 2.0 contextAgents / contextGroups: arrays of typed wrappers."""
        if not isinstance(value, list) or not value:
            raise Invalid(path, "must be a non-empty array")
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            entry = self.obj(item, where)
            only_keys(entry, {"objectType", inner, "relevantTypes"}, where)
            if entry.get("objectType") != role:
                raise Invalid(f"{where}.objectType", f"must be {role}")
            if inner not in entry:
                raise Invalid(f"{where}.{inner}", "is required")
            (self.agent if inner == "agent" else self.group)(entry[inner], f"{where}.{inner}")
            if "relevantTypes" in entry:
                types = entry["relevantTypes"]
                if not isinstance(types, list) or not types:
                    raise Invalid(f"{where}.relevantTypes", "must be a non-empty array of IRIs")
                for j, iri in enumerate(types):
                    self.iri(iri, f"{where}.relevantTypes[{j}]", limit=2048)
