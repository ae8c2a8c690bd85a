"""The rules xAPI 1.0.3 (Data §2.4, §4) and 2.0 (IEEE 9274.1.1) set for a statement (pure).

:class:`Validator` walks a statement and raises :class:`Invalid` naming the field at the first
broken rule. :mod:`lms.lrs.validation` runs it together with ralph-malph's models.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC
from typing import Any

from lms.xapi.index import IFIS, parse_timestamp

VERSION_1 = re.compile(r"^1\.0(\.\d+)?$")
VERSION_2 = re.compile(r"^2\.0\.\d+$")
#: IRIs are indexed in 500-character columns: longer ones are refused (a documented limit)
MAX_IRI = 500
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
MBOX = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
SHA2 = re.compile(r"^(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$")
UUID_FORM = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                       r"[0-9a-fA-F]{12}$")
_NUMBER = r"\d+(?:[.,]\d+)?"
DURATION = re.compile(rf"^P(?:{_NUMBER}W|(?=\d|T\d)(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}D)?"
                      rf"(?:T(?=\d)(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?)$")
#: RFC 3339 date-time, which xAPI 2.0 requires of timestamps (an offset included)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
MEDIA_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+(\s*;.*)?$")
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching",
                     "performance", "sequencing", "likert", "numeric", "other"}
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")


class Invalid(ValueError):
    """The statement breaks a rule; ``field`` names where, ``str()`` says why (English)."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field, self.problem = field, problem


def no_nul(value: Any, path: str) -> None:
    """PostgreSQL cannot store NUL characters in JSON: refuse them anywhere."""
    if isinstance(value, str):
        if "\x00" in value:
            raise Invalid(path, "must not contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                raise Invalid(path, "property names must not contain NUL characters")
            no_nul(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            no_nul(item, f"{path}[{i}]")


def _keys(obj: dict, allowed: set[str], path: str) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        where = f"{path}.{extra[0]}" if path else extra[0]
        raise Invalid(where, "is not a property xAPI allows here")


class Validator:
    """One statement's rules; *v2* adds xAPI 2.0's (context agents and groups, timestamps)."""

    def __init__(self, v2: bool):
        self.v2 = v2

    # --- primitives -----------------------------------------------------------------------
    def obj(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            raise Invalid(path, "must be a JSON object")
        return value

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise Invalid(path, "must be a string")
        return value

    def iri(self, value: Any, path: str, limit: int = MAX_IRI) -> None:
        self.string(value, path)
        if not IRI.match(value):
            raise Invalid(path, "must be an absolute IRI")
        if len(value) > limit:
            raise Invalid(path, f"is longer than {limit} characters")

    def uuid(self, value: Any, path: str) -> None:
        self.string(value, path)
        if not UUID_FORM.match(value):
            raise Invalid(path, "must be a UUID")
        uuid.UUID(value)

    def timestamp(self, value: Any, path: str) -> None:
        self.string(value, path)
        if re.search(r"-00(:?00)?$", value):
            raise Invalid(path, "must not use the offset -00:00")
        if self.v2 and not RFC3339.match(value):
            raise Invalid(path, "must be an RFC 3339 date-time with an offset (xAPI 2.0)")
        try:
            parse_timestamp(value).astimezone(UTC)
        except ValueError:
            raise Invalid(path, "must be an ISO 8601 timestamp") from None
        except OverflowError:
            raise Invalid(path, "is outside the range of dates this LRS stores") from None

    def language_map(self, value: Any, path: str) -> None:
        for tag, text in self.obj(value, path).items():
            if not LANGUAGE_TAG.match(tag):
                raise Invalid(f"{path}.{tag}", "is not an RFC 5646 language tag")
            self.string(text, f"{path}.{tag}")

    def extensions(self, value: Any, path: str) -> None:
        for key in self.obj(value, path):
            self.iri(key, f"{path}.{key}", limit=2048)

    # --- agents ---------------------------------------------------------------------------
    def ifis(self, agent: dict, path: str, required: bool) -> None:
        present = [i for i in IFIS if i in agent]
        if len(present) > 1 or (required and not present):
            raise Invalid(path, "must have exactly one of mbox, mbox_sha1sum, openid, account")
        if "mbox" in agent and not MBOX.match(self.string(agent["mbox"], f"{path}.mbox")):
            raise Invalid(f"{path}.mbox", "must be a mailto: IRI")
        if "mbox_sha1sum" in agent and not SHA1.match(
                self.string(agent["mbox_sha1sum"], f"{path}.mbox_sha1sum")):
            raise Invalid(f"{path}.mbox_sha1sum", "must be a hex SHA-1 of a mailto: IRI")
        if "openid" in agent:
            self.iri(agent["openid"], f"{path}.openid", limit=2048)
        if "account" in agent:
            account = self.obj(agent["account"], f"{path}.account")
            _keys(account, {"homePage", "name"}, f"{path}.account")
            for key in ("homePage", "name"):
                if key not in account:
                    raise Invalid(f"{path}.account.{key}", "is required")
            self.iri(account["homePage"], f"{path}.account.homePage", limit=2048)
            self.string(account["name"], f"{path}.account.name")
        if "name" in agent:
            self.string(agent["name"], f"{path}.name")

    def agent(self, value: Any, path: str) -> None:
        agent = self.obj(value, path)
        _keys(agent, {"objectType", "name", *IFIS}, path)
        if agent.get("objectType", "Agent") != "Agent":
            raise Invalid(f"{path}.objectType", "must be Agent")
        self.ifis(agent, path, required=True)

    def group(self, value: Any, path: str) -> None:
        group = self.obj(value, path)
        _keys(group, {"objectType", "name", "member", *IFIS}, path)
        if group.get("objectType") != "Group":
            raise Invalid(f"{path}.objectType", "must be Group")
        self.ifis(group, path, required=False)
        identified = any(i in group for i in IFIS)
        if "member" in group or not identified:
            members = group.get("member")
            if not isinstance(members, list) or (not identified and not members):
                raise Invalid(f"{path}.member", "must be a non-empty array of Agents for an "
                                                "anonymous Group")
            for i, member in enumerate(members):
                self.agent(member, f"{path}.member[{i}]")

    def actor(self, value: Any, path: str) -> None:
        kind = self.obj(value, path).get("objectType", "Agent")
        if kind == "Group":
            self.group(value, path)
        else:
            self.agent(value, path)

    def authority(self, value: Any) -> None:
        """An Agent, or (three-legged OAuth) a Group of exactly two Agents."""
        if self.obj(value, "authority").get("objectType") == "Group":
            self.group(value, "authority")
            if len(value.get("member") or []) != 2:
                raise Invalid("authority", "a Group as authority must have exactly two "
                                           "Agents")
        else:
            self.agent(value, "authority")

    # --- statement parts ------------------------------------------------------------------
    def verb(self, value: Any) -> None:
        verb = self.obj(value, "verb")
        _keys(verb, {"id", "display"}, "verb")
        if "id" not in verb:
            raise Invalid("verb.id", "is required")
        self.iri(verb["id"], "verb.id")
        if "display" in verb:
            self.language_map(verb["display"], "verb.display")

    def activity(self, value: Any, path: str) -> None:
        activity = self.obj(value, path)
        if "objectType" not in activity and any(i in activity for i in (*IFIS, "member")):
            raise Invalid(f"{path}.objectType", "is required for an Agent or Group object")
        _keys(activity, {"objectType", "id", "definition"}, path)
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
        _keys(definition, {"name", "description", "type", "moreInfo", "extensions",
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
                _keys(self.obj(component, where), {"id", "description"}, where)
                self.string(component.get("id"), f"{where}.id")
                if component["id"] in seen:
                    raise Invalid(f"{where}.id", "repeats an id of the same list")
                seen.add(component["id"])
                if "description" in component:
                    self.language_map(component["description"], f"{where}.description")

    def statement_ref(self, value: dict, path: str) -> None:
        _keys(value, {"objectType", "id"}, path)
        if "id" not in value:
            raise Invalid(f"{path}.id", "is required")
        self.uuid(value["id"], f"{path}.id")

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
        _keys(value, {"objectType", "actor", "verb", "object", "result", "context",
                      "timestamp", "attachments"}, path)
        self.body(value, path)

    def result(self, value: Any, path: str) -> None:
        result = self.obj(value, path)
        _keys(result, {"score", "success", "completion", "response", "duration",
                       "extensions"}, path)
        for key in ("success", "completion"):
            if key in result and not isinstance(result[key], bool):
                raise Invalid(f"{path}.{key}", "must be true or false")
        if "response" in result:
            self.string(result["response"], f"{path}.response")
        if "duration" in result and not DURATION.match(
                self.string(result["duration"], f"{path}.duration")):
            raise Invalid(f"{path}.duration", "must be an ISO 8601 duration")
        if "extensions" in result:
            self.extensions(result["extensions"], f"{path}.extensions")
        if "score" in result:
            self.score(result["score"], f"{path}.score")

    def score(self, value: Any, path: str) -> None:
        score = self.obj(value, path)
        _keys(score, {"scaled", "raw", "min", "max"}, path)
        for key, number in score.items():
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise Invalid(f"{path}.{key}", "must be a number")
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            raise Invalid(f"{path}.scaled", "must be between -1 and 1")
        if "min" in score and "max" in score and score["min"] >= score["max"]:
            raise Invalid(f"{path}.max", "must be greater than min")
        if "raw" in score and ("min" in score and score["raw"] < score["min"]
                               or "max" in score and score["raw"] > score["max"]):
            raise Invalid(f"{path}.raw", "must lie between min and max")

    def context(self, value: Any, path: str, object_kind: str) -> None:
        context = self.obj(value, path)
        allowed = {"registration", "instructor", "team", "contextActivities", "revision",
                   "platform", "language", "statement", "extensions"}
        if self.v2:
            allowed |= {"contextAgents", "contextGroups"}
        _keys(context, allowed, path)
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
            _keys(activities, {"parent", "grouping", "category", "other"},
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
            _keys(entry, {"objectType", inner, "relevantTypes"}, where)
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

    def attachments(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise Invalid(path, "must be an array")
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            attachment = self.obj(item, where)
            _keys(attachment, {"usageType", "display", "description", "contentType", "length",
                               "sha2", "fileUrl"}, where)
            for key in ("usageType", "display", "contentType", "length", "sha2"):
                if key not in attachment:
                    raise Invalid(f"{where}.{key}", "is required")
            self.iri(attachment["usageType"], f"{where}.usageType", limit=2048)
            self.language_map(attachment["display"], f"{where}.display")
            if "description" in attachment:
                self.language_map(attachment["description"], f"{where}.description")
            if not MEDIA_TYPE.match(self.string(attachment["contentType"],
                                                f"{where}.contentType")):
                raise Invalid(f"{where}.contentType", "must be an Internet media type")
            length = attachment["length"]
            if isinstance(length, bool) or not isinstance(length, int) or length < 0:
                raise Invalid(f"{where}.length", "must be a non-negative integer")
            if not SHA2.match(self.string(attachment["sha2"], f"{where}.sha2")):
                raise Invalid(f"{where}.sha2", "must be a hex SHA-2 hash")
            if "fileUrl" in attachment:
                self.iri(attachment["fileUrl"], f"{where}.fileUrl", limit=2048)

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
        _keys(s, {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
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
