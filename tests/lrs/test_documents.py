"""State, Activity Profile and Agent Profile resources: storage, merging, concurrency."""

from __future__ import annotations

import json
import uuid

from tests.lrs.conftest import agent

ACTIVITY = "http://other.example/activities/1"


def put(lrs, path, body, content_type="application/json", method="PUT", headers=None, **q):
    data = json.dumps(body) if content_type == "application/json" else body
    return lrs.client.open(path, method=method, query_string=q, data=data,
                           content_type=content_type, headers=lrs.headers(**(headers or {})))


def test_state_put_get_merge_list_delete(lrs):
    who = json.dumps(agent())
    reg = str(uuid.uuid4())
    where = {"activityId": ACTIVITY, "agent": who, "registration": reg}
    path = "/xapi/activities/state"
    assert put(lrs, path, {"page": 3}, stateId="bookmark", **where).status_code == 204
    assert put(lrs, path, {"done": True}, method="POST", stateId="bookmark",
               **where).status_code == 204
    got = lrs.get(path, stateId="bookmark", **where)
    assert got.get_json() == {"page": 3, "done": True}
    assert got.headers["ETag"].startswith('"')
    # another registration is another state
    assert lrs.get(path, stateId="bookmark", activityId=ACTIVITY, agent=who,
                   registration=str(uuid.uuid4())).status_code == 404
    put(lrs, path, b"raw bytes", content_type="application/octet-stream", stateId="blob",
        **where)
    assert sorted(lrs.get(path, **where).get_json()) == ["blob", "bookmark"]
    assert put(lrs, path, {"x": 1}, method="POST", stateId="blob", **where).status_code == 400
    assert lrs.client.delete(path, query_string={**where, "stateId": "blob"},
                             headers=lrs.headers()).status_code == 204
    assert lrs.get(path, **where).get_json() == ["bookmark"]
    assert lrs.client.delete(path, query_string=where, headers=lrs.headers()).status_code == 204
    assert lrs.get(path, **where).get_json() == []


def test_state_needs_its_parameters(lrs):
    path = "/xapi/activities/state"
    assert lrs.get(path, activityId=ACTIVITY).status_code == 400
    assert lrs.get(path, activityId=ACTIVITY, agent="{nope").status_code == 400
    assert lrs.get(path, activityId=ACTIVITY, agent=json.dumps(agent()),
                   registration="x").status_code == 400


def test_profile_concurrency_with_etags(lrs):
    path = "/xapi/activities/profile"
    q = {"activityId": ACTIVITY, "profileId": "settings"}
    assert put(lrs, path, {"v": 1}, headers={"If-None-Match": "*"}, **q).status_code == 204
    etag = lrs.get(path, **q).headers["ETag"]
    assert put(lrs, path, {"v": 2}, **q).status_code == 409  # no precondition given
    assert put(lrs, path, {"v": 2}, headers={"If-None-Match": "*"}, **q).status_code == 412
    assert put(lrs, path, {"v": 2}, headers={"If-Match": '"stale"'}, **q).status_code == 412
    assert put(lrs, path, {"v": 2}, headers={"If-Match": etag}, **q).status_code == 204
    assert lrs.get(path, **q).get_json() == {"v": 2}
    assert put(lrs, path, {"v": 3}, headers={"If-Match": etag}, **q).status_code == 412
    assert lrs.get(path, activityId=ACTIVITY).get_json() == ["settings"]


def test_agent_profile(lrs):
    path = "/xapi/agents/profile"
    q = {"agent": json.dumps(agent()), "profileId": "prefs"}
    assert put(lrs, path, {"lang": "ja"}, **q).status_code == 204
    assert lrs.get(path, **q).get_json() == {"lang": "ja"}
    assert lrs.client.delete(path, query_string={"agent": q["agent"]},
                             headers=lrs.headers()).status_code == 400  # profileId needed
    assert lrs.client.delete(path, query_string=q, headers=lrs.headers()).status_code == 204
    assert lrs.get(path, **q).status_code == 404


def test_state_delete_since_removes_only_newer_documents(app, lrs):
    from datetime import timedelta

    import sqlalchemy as sa

    from lms.extensions import db
    from lms.lrs.models import XapiDocument
    from lms.timeutil import utcnow

    path = "/xapi/activities/state"
    where = {"activityId": ACTIVITY, "agent": json.dumps(agent())}
    put(lrs, path, {"a": 1}, stateId="old", **where)
    put(lrs, path, {"b": 2}, stateId="new", **where)
    with app.app_context():
        db.session.execute(sa.update(XapiDocument).where(XapiDocument.doc_id == "old").values(
            updated_at=utcnow() - timedelta(days=2)))
        db.session.commit()
    since = (utcnow() - timedelta(days=1)).isoformat()
    assert lrs.get(path, since=since, **where).get_json() == ["new"]
    assert lrs.client.delete(path, query_string={**where, "since": since},
                             headers=lrs.headers()).status_code == 204
    assert lrs.get(path, **where).get_json() == ["old"]
    assert lrs.get(path, since="not-a-time", **where).status_code == 400


def test_consistent_through_on_errors_too(lrs):
    response = lrs.get(limit="-1")
    assert response.status_code == 400
    assert "X-Experience-API-Consistent-Through" in response.headers
