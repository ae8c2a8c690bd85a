"""The statement itself (Data §2.4): its verb, the object it dispatches to each kind's rules,
SubStatements, and what a statement has beyond a SubStatement (pure)."""

from __future__ import annotations

from typing import Any

from lms.lrs.rules.attachments import AttachmentRules
from lms.lrs.rules.context import ContextRules
from lms.lrs.rules.primitives import VERSION_1, VERSION_2, Invalid, only_keys
from lms.lrs.rules.results import ResultRules


class Validator(ContextRules, ResultRules, AttachmentRules):
    """One statement's rules; *v2* adds xAPI 2.0's (context agents and groups, timestamps)."""

    def verb(self, value: Any) -> None:
        verb = self.obj(value, "verb")
        only_keys(verb, {"id", "display"}, "verb")
        if "id" not in verb:
            raise Invalid("verb.id", "is required")
        self.iri(verb["id"], "verb.id")
        if "display" in verb:
            self.language_map(verb["display"], "verb.display")

    def object(self, value: Any, path: str, sub: bool = False) -> None:
        obj = self.obj(value, path)
        kind = obj.get("objectType", "Activity")
        if kind == "Activity":
            self.activity(obj, path)
        elif kind == "Agent":
            self.agent(obj, path)
        elif kind == "Group":
            self.group(obj, path)
        elif kind == "StatementRef":
            self.statement_ref(obj, path)
        elif kind == "SubStatement" and not sub:
            self.substatement(obj, path)
        elif kind == "SubStatement":
            raise Invalid(f"{path}.objectType", "a SubStatement cannot hold a SubStatement")
        else:
            raise Invalid(f"{path}.objectType", "must be Activity, Agent, Group, StatementRef "
                                                "or SubStatement")

    def substatement(self, value: dict, path: str) -> None:
        only_keys(value, {"objectType", "actor", "verb", "object", "result", "context",
                      "timestamp", "attachments"}, path)
        self.body(value, path)

    def body(self, s: dict, path: str) -> None:
        """What statements and SubStatements share: actor, verb, object, result, context…"""
        prefix = f"{path}." if path else ""
        for key in ("actor", "verb", "object"):
            if key not in s:
                raise Invalid(prefix + key, "is required")
        self.actor(s["actor"], prefix + "actor")
        if path:
            self._sub_verb(s["verb"], prefix + "verb")
        else:
            self.verb(s["verb"])
        self.object(s["object"], prefix + "object", sub=bool(path))
        if "result" in s:
            self.result(s["result"], prefix + "result")
        if "context" in s:
            kind = s["object"].get("objectType", "Activity")
            self.context(s["context"], prefix + "context", kind)
        if "timestamp" in s:
            self.timestamp(s["timestamp"], prefix + "timestamp")
        if "attachments" in s:
            self.attachments(s["attachments"], prefix + "attachments")

    def _sub_verb(self, value: Any, path: str) -> None:
        try:
            self.verb(value)
        except Invalid as exc:
            raise Invalid(path + exc.field.removeprefix("verb"), exc.problem) from None

    def statement(self, value: Any) -> None:
        s = self.obj(value, "statement")
        only_keys(s, {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
                  "authority", "version", "attachments"}, "")
        if "id" in s:
            self.uuid(s["id"], "id")
        self.body(s, "")
        if "stored" in s:
            self.timestamp(s["stored"], "stored")
        if "authority" in s:
            self.authority(s["authority"])
        if "version" in s:
            version = self.string(s["version"], "version")
            if not (VERSION_1.match(version) or self.v2 and VERSION_2.match(version)):
                raise Invalid("version", "must be 1.0.x" + (" or 2.0.x" if self.v2 else ""))
        if s.get("verb", {}).get("id") == "http://adlnet.gov/expapi/verbs/voided" and \
                s["object"].get("objectType") != "StatementRef":
            raise Invalid("object.objectType", "a voiding statement's object must be a "
                                               "StatementRef")
