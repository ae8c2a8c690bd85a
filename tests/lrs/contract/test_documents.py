"""State, Activity Profile and Agent Profile resources in 1.0.3 and 2.0: preconditions, HEAD.

Our reading of the 1.0.3 text (Communication §3.1): a PUT without If-Match/If-None-Match
creates a document that does not exist (204); over an existing Activity or Agent Profile it
is refused with 409; the State resource is exempt in 1.0.3. In 2.0 the 409 applies to all
three resources.
"""

from __future__ import annotations

import json

import pytest

from tests.lrs.conftest import agent

ACTIVITY = "http://a.example/1"
RESOURCES = {
    "state": ("/xapi/activities/state", {"activityId": ACTIVITY, "stateId": "s"}),
    "activity_profile": ("/xapi/activities/profile", {"activityId": ACTIVITY,
                                                      "profileId": "p"}),
    "agent_profile": ("/xapi/agents/profile", {"profileId": "p"}),
}


def _where(name: str) -> tuple[str, dict]:
    path, params = RESOURCES[name]
    if name != "activity_profile":
        params = {**params, "agent": json.dumps(agent())}
    return path, params


def put(api, name, body, **headers):
    path, params = _where(name)
    return api.client.put(path, query_string=params, data=json.dumps(body),
                          content_type="application/json", headers=api.headers(**headers))


@pytest.mark.parametrize("name", RESOURCES)
def test_comm_3_1_put_without_precondition_creates_a_missing_document(lrs, name):
    assert put(lrs, name, {"a": 1}).status_code == 204


@pytest.mark.parametrize("name", ["activity_profile", "agent_profile"])
def test_comm_3_1_profile_put_without_precondition_over_a_document_is_409(lrs, name):
    put(lrs, name, {"a": 1})
    assert put(lrs, name, {"a": 2}).status_code == 409


def test_comm_2_3_state_put_without_precondition_replaces_in_1_0_3(lrs):
    put(lrs, "state", {"a": 1})
    assert put(lrs, "state", {"a": 2}).status_code == 204


@pytest.mark.parametrize("name", RESOURCES)
def test_v2_document_put_without_precondition_over_a_document_is_409(lrs2, name):
    assert put(lrs2, name, {"a": 1}).status_code == 204
    assert put(lrs2, name, {"a": 2}).status_code == 409
    path, params = _where(name)
    etag = lrs2.client.get(path, query_string=params, headers=lrs2.headers()).headers["ETag"]
    assert put(lrs2, name, {"a": 2}, **{"If-Match": etag}).status_code == 204


@pytest.mark.parametrize("name", RESOURCES)
def test_comm_3_1_if_match_and_if_none_match(lrs, name):
    assert put(lrs, name, {"a": 1}, **{"If-None-Match": "*"}).status_code == 204
    assert put(lrs, name, {"a": 2}, **{"If-None-Match": "*"}).status_code == 412
    assert put(lrs, name, {"a": 2}, **{"If-Match": '"stale"'}).status_code == 412


@pytest.mark.parametrize("name", RESOURCES)
def test_comm_2_2_head_is_get_without_a_body(lrs, name):
    path, params = _where(name)
    assert lrs.client.head(path, query_string=params, headers=lrs.headers()).status_code == 404
    put(lrs, name, {"a": 1})
    head = lrs.client.head(path, query_string=params, headers=lrs.headers())
    assert head.status_code == 200 and head.data == b""
    got = lrs.client.get(path, query_string=params, headers=lrs.headers())
    assert got.get_json() == {"a": 1} and got.headers["ETag"] == head.headers["ETag"]
