"""Statements resource, xAPI 2.0 (IEEE 9274.1.1-2023): version negotiation and 2.0 rules."""

from __future__ import annotations

from tests.lrs.conftest import agent, statement
from tests.lrs.contract.conftest import refused

CONTEXT_AGENT = {"objectType": "contextAgent", "agent": agent("coach"),
                 "relevantTypes": ["https://w3id.org/xapi/cmi5/context/categories/moveon"]}
CONTEXT_GROUP = {"objectType": "contextGroup",
                 "group": {"objectType": "Group", "member": [agent("peer")]},
                 "relevantTypes": ["http://t.example/peers"]}


def test_v2_version_header_is_accepted_and_answered_in_2_0_0(lrs2):
    answer = lrs2.post(statement())
    assert answer.status_code == 200
    assert answer.headers["X-Experience-API-Version"] == "2.0.0"


def test_v2_statement_version_2_0_0_is_accepted_and_defaulted(lrs2):
    sent = statement(version="2.0.0")
    assert lrs2.post(sent).status_code == 200
    unversioned = statement()
    lrs2.post(unversioned)
    assert lrs2.get(statementId=unversioned["id"]).get_json()["version"] == "2.0.0"


def test_v2_context_agents_and_groups_are_accepted(lrs2):
    s = statement(context={"contextAgents": [CONTEXT_AGENT], "contextGroups": [CONTEXT_GROUP]})
    assert lrs2.post(s).status_code == 200
    got = lrs2.get(statementId=s["id"]).get_json()
    assert got["context"]["contextAgents"] == [CONTEXT_AGENT]


def test_v2_statements_are_stored_once_and_served_in_each_version(lrs, lrs2):
    s = statement(context={"contextAgents": [CONTEXT_AGENT]})
    assert lrs2.post(s).status_code == 200
    as_1 = lrs.get(statementId=s["id"]).get_json()
    assert "contextAgents" not in as_1.get("context", {})
    assert as_1["version"] == "1.0.0"
    as_2 = lrs2.get(statementId=s["id"]).get_json()
    assert as_2["context"]["contextAgents"] == [CONTEXT_AGENT]


def test_v2_context_agents_are_not_1_0_3(lrs):
    s = statement(context={"contextAgents": [CONTEXT_AGENT]})
    assert refused(lrs.post(s), "context.contextAgents")


def test_v2_context_agent_needs_its_object_type_and_agent(lrs2):
    wrong_type = dict(CONTEXT_AGENT, objectType="Agent")
    assert refused(lrs2.post(statement(context={"contextAgents": [wrong_type]})),
                   "context.contextAgents[0].objectType")
    no_agent = {"objectType": "contextAgent"}
    assert refused(lrs2.post(statement(context={"contextAgents": [no_agent]})),
                   "context.contextAgents[0].agent")
    empty_types = dict(CONTEXT_AGENT, relevantTypes=[])
    assert refused(lrs2.post(statement(context={"contextAgents": [empty_types]})),
                   "relevantTypes")
    group_as_agent = dict(CONTEXT_AGENT, agent={"objectType": "Group", "member": [agent()]})
    assert refused(lrs2.post(statement(context={"contextAgents": [group_as_agent]})),
                   "context.contextAgents[0].agent")


def test_v2_context_groups_hold_groups(lrs2):
    wrong = dict(CONTEXT_GROUP, group=agent())
    assert refused(lrs2.post(statement(context={"contextGroups": [wrong]})),
                   "context.contextGroups[0].group")


def test_v2_timestamps_follow_rfc_3339(lrs, lrs2):
    for ts in ("2026-11-26T10:00:00", "20261126T100000Z", "2026-11-26T10:00Z"):
        assert refused(lrs2.post(statement(timestamp=ts)), "timestamp"), ts
    assert lrs2.post(statement(timestamp="2026-11-26T10:00:00.123+09:00")).status_code == 200
    assert lrs.post(statement(timestamp="2026-11-26T10:00:00")).status_code == 200  # 1.0.3


def test_v2_no_alternate_request_syntax(lrs, client):
    answer = client.post("/xapi/statements?method=GET", data={
        "Authorization": lrs.auth, "X-Experience-API-Version": "2.0.0"})
    assert answer.status_code == 400 and "2.0" in answer.get_json()["error"]["message"]


def test_v2_unsupported_versions_are_refused(lrs):
    answer = lrs.get(headers={"X-Experience-API-Version": "3.0.0"})
    assert answer.status_code == 400


def test_v2_about_answers_in_the_version_asked(client):
    answer = client.get("/xapi/about", headers={"X-Experience-API-Version": "2.0.0"})
    assert answer.headers["X-Experience-API-Version"] == "2.0.0"
    assert "2.0.0" in answer.get_json()["version"]
    assert client.get("/xapi/about").headers["X-Experience-API-Version"] == "1.0.3"
