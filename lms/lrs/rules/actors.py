"""Actors (Data §2.4.2): Agents, Groups and their identifiers; the authority (pure)."""

from __future__ import annotations

from typing import Any

from lms.lrs.rules.primitives import MBOX, SHA1, Invalid, Primitives, only_keys
from lms.xapi.index import IFIS


class ActorRules(Primitives):
    """Agents and Groups wherever they appear (actor, object, context, authority)."""

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
            only_keys(account, {"homePage", "name"}, f"{path}.account")
            for key in ("homePage", "name"):
                if key not in account:
                    raise Invalid(f"{path}.account.{key}", "is required")
            self.iri(account["homePage"], f"{path}.account.homePage", limit=2048)
            self.string(account["name"], f"{path}.account.name")
        if "name" in agent:
            self.string(agent["name"], f"{path}.name")

    def agent(self, value: Any, path: str) -> None:
        agent = self.obj(value, path)
        only_keys(agent, {"objectType", "name", *IFIS}, path)
        if agent.get("objectType", "Agent") != "Agent":
            raise Invalid(f"{path}.objectType", "must be Agent")
        self.ifis(agent, path, required=True)

    def group(self, value: Any, path: str) -> None:
        group = self.obj(value, path)
        only_keys(group, {"objectType", "name", "member", *IFIS}, path)
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
