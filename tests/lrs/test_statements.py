"""The Statements resource against xAPI 1.0.3: storing, conflicts, voiding, filters, paging."""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa

from lms.extensions import db
from lms.xapi.models import Statement
from tests.factories import at_once
from tests.lrs.conftest import agent, make_client, statement

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def ids(response) -> list[str]:
    return [s["id"] for s in response.get_json()["statements"]]


def test_post_single_and_batch_return_ids_in_order(lrs):
    one = statement()
    assert lrs.post(one).get_json() == [one["id"]]
    batch = [statement() for _ in range(3)]
    response = lrs.post(batch)
    assert response.status_code == 200
    assert response.get_json() == [s["id"] for s in batch]
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


def test_lrs_sets_id_stored_authority_and_timestamp(lrs):
    bare = statement()
    del bare["id"]
    [new_id] = lrs.post(bare).get_json()
    stored = lrs.get(statementId=new_id).get_json()
    assert uuid.UUID(stored["id"])
    assert stored["authority"]["account"]["name"] == "tester"
    assert stored["timestamp"] == stored["stored"]
    assert stored["version"] == "1.0.0"


def test_batch_with_one_invalid_statement_stores_none(app, lrs):
    batch = [statement(), {"actor": agent(), "verb": {"id": "not an iri"}}, statement()]
    response = lrs.post(batch)
    assert response.status_code == 400
    assert "statement 1" in response.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 0


def test_conflicting_id_is_409_and_identical_resend_is_accepted_once(app, lrs):
    s = statement(timestamp="2026-11-01T10:00:00+09:00")
    assert lrs.post(s).status_code == 200
    same_instant = dict(s, timestamp="2026-11-01T01:00:00Z")
    assert lrs.post(same_instant).status_code == 200
    assert lrs.put(s, s["id"]).status_code == 204
    changed = dict(s, verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    assert lrs.post(changed).status_code == 409
    assert lrs.put(changed, s["id"]).status_code == 409
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 1


def test_put_paths(lrs):
    s = statement()
    assert lrs.put(s, s["id"]).status_code == 204
    assert lrs.get(statementId=s["id"]).get_json()["id"] == s["id"]
    other = statement()
    assert lrs.put(other, str(uuid.uuid4())).status_code == 400  # ids differ
    assert lrs.client.put("/xapi/statements", data=json.dumps(statement()),
                          content_type="application/json",
                          headers=lrs.headers()).status_code == 400  # no statementId
    assert lrs.put([statement()], str(uuid.uuid4())).status_code == 400  # a list


def test_duplicate_ids_within_a_batch_are_refused(lrs):
    s = statement()
    assert lrs.post([s, dict(s)]).status_code == 400


def test_4xx_paths(app, lrs, client):
    s = statement()
    no_version = client.post("/xapi/statements", data=json.dumps(s),
                             content_type="application/json",
                             headers={"Authorization": lrs.auth})
    assert no_version.status_code == 400
    assert lrs.post(s, headers={"X-Experience-API-Version": "3.0.0"}).status_code == 400
    anonymous = client.get("/xapi/statements", headers={"X-Experience-API-Version": "1.0.3"})
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Basic")
    wrong = client.get("/xapi/statements", headers={
        "X-Experience-API-Version": "1.0.3", "Authorization": "Basic dGVzdGVyOm5vcGU="})
    assert wrong.status_code == 401
    make_client(app, key="reader", secret="reader-secret", write=False)
    from tests.lrs.conftest import Lrs
    reader = Lrs(client, "reader", "reader-secret")
    assert reader.post(s).status_code == 403
    assert reader.get().status_code == 200
    assert client.post("/xapi/statements", data="{not json", content_type="application/json",
                       headers=lrs.headers()).status_code == 400
    assert client.post("/xapi/statements", data="x", content_type="text/plain",
                       headers=lrs.headers()).status_code == 400
    assert lrs.post(dict(s, timestamp="2026-11-01T10:00:00-00:00")).status_code == 400
    assert lrs.post(dict(s, extra="x")).status_code == 400
    assert lrs.post([]).status_code == 400
    assert lrs.get(unknown="1").status_code == 400
    assert lrs.get(statementId=s["id"], verb="http://x").status_code == 400
    assert lrs.get(statementId="not-a-uuid").status_code == 400
    assert lrs.get(statementId=str(uuid.uuid4())).status_code == 404
    assert lrs.get(limit="-1").status_code == 400
    assert lrs.get(agent="{bad").status_code == 400
    assert lrs.get(agent=json.dumps({"mbox": "mailto:a@x.jp",
                                     "openid": "http://x.jp"})).status_code == 400
    assert lrs.get(since="yesterday").status_code == 400
    assert lrs.get(ascending="yes").status_code == 400
    assert lrs.get(format="full").status_code == 400
    assert lrs.get(more="forged").status_code == 400


def test_revoked_client_is_refused(app, lrs):
    from lms.lrs import clients

    assert lrs.get().status_code == 200
    with app.app_context():
        clients.revoke(None, clients.by_key("tester"))
        db.session.commit()
    assert lrs.get().status_code == 401


def test_voiding_hides_the_statement_and_voided_statement_id_finds_it(lrs):
    target = statement()
    lrs.post(target)
    voiding = statement(verb=VOIDED)
    voiding["object"] = {"objectType": "StatementRef", "id": target["id"]}
    assert lrs.post(voiding).status_code == 200
    assert lrs.get(statementId=target["id"]).status_code == 404
    assert lrs.get(voidedStatementId=target["id"]).get_json()["id"] == target["id"]
    assert lrs.get(voidedStatementId=voiding["id"]).status_code == 404
    assert target["id"] not in ids(lrs.get())
    assert voiding["id"] in ids(lrs.get())  # the voiding statement itself is returned
    # A voiding statement cannot itself be voided.
    again = statement(verb=VOIDED)
    again["object"] = {"objectType": "StatementRef", "id": voiding["id"]}
    assert lrs.post(again).status_code == 400
    # ... and voids only by StatementRef
    assert lrs.post(statement(verb=VOIDED)).status_code == 400


def test_voiding_before_the_target_arrives(lrs):
    target = statement()
    voiding = statement(verb=VOIDED)
    voiding["object"] = {"objectType": "StatementRef", "id": target["id"]}
    lrs.post(voiding)
    lrs.post(target)
    assert lrs.get(statementId=target["id"]).status_code == 404


def test_filters(lrs):
    alice, bob = agent("alice"), agent("bob")
    reg = str(uuid.uuid4())
    parent = "http://other.example/courses/1"
    a1 = statement(alice, activity="http://other.example/activities/1",
                   context={"registration": reg,
                            "contextActivities": {"parent": [{"id": parent}]}})
    a2 = statement(alice, verb="http://adlnet.gov/expapi/verbs/passed",
                   activity="http://other.example/activities/2")
    b1 = statement(bob, context={"instructor": alice})
    about_bob = statement(alice)
    about_bob["object"] = bob
    for s in (a1, a2, b1, about_bob):
        assert lrs.post(s).status_code == 200

    assert set(ids(lrs.get(agent=json.dumps(alice)))) == {a1["id"], a2["id"], about_bob["id"]}
    assert set(ids(lrs.get(agent=json.dumps(bob)))) == {b1["id"], about_bob["id"]}
    assert set(ids(lrs.get(agent=json.dumps(alice), related_agents="true"))) == {
        a1["id"], a2["id"], b1["id"], about_bob["id"]}
    assert ids(lrs.get(verb="http://adlnet.gov/expapi/verbs/passed")) == [a2["id"]]
    assert ids(lrs.get(activity="http://other.example/activities/2")) == [a2["id"]]
    assert ids(lrs.get(activity=parent)) == []
    assert ids(lrs.get(activity=parent, related_activities="true")) == [a1["id"]]
    assert ids(lrs.get(registration=reg)) == [a1["id"]]
    # The authority is a related agent: the client's agent finds everything it posted.
    authority = lrs.get(statementId=a1["id"]).get_json()["authority"]
    assert len(ids(lrs.get(agent=json.dumps(authority), related_agents="true"))) == 4
    # An account agent and a Group with the same account are different (objectType).
    group = dict(alice, objectType="Group")
    assert ids(lrs.get(agent=json.dumps(group))) == []


def test_since_until_and_order(app, lrs):
    first, second = statement(), statement()
    lrs.post(first)
    stored_first = lrs.get(statementId=first["id"]).get_json()["stored"]
    lrs.post(second)
    assert ids(lrs.get()) == [second["id"], first["id"]]  # newest first
    assert ids(lrs.get(ascending="true")) == [first["id"], second["id"]]
    assert ids(lrs.get(since=stored_first)) == [second["id"]]
    assert ids(lrs.get(until=stored_first)) == [first["id"]]


def test_more_pages_neither_repeat_nor_skip_even_while_new_statements_arrive(lrs):
    posted = [statement() for _ in range(7)]
    for s in posted:
        lrs.post(s)
    seen, response = [], lrs.get(limit="3")
    while True:
        body = response.get_json()
        seen += [s["id"] for s in body["statements"]]
        lrs.post(statement())  # arrives during paging: belongs to a later query
        if not body["more"]:
            break
        assert body["more"].startswith("/xapi/statements?more=")
        response = lrs.client.get(body["more"], headers=lrs.headers())
    assert seen == [s["id"] for s in reversed(posted)]


def test_headers_and_formats(lrs):
    s = statement()
    s["object"]["definition"] = {"name": {"en-US": "Interview", "ja-JP": "面談"}}
    lrs.post(s)
    response = lrs.get()
    assert "X-Experience-API-Consistent-Through" in response.headers
    assert "Last-Modified" in response.headers
    single = lrs.get(statementId=s["id"])
    assert "Last-Modified" in single.headers
    canonical = lrs.get(format="canonical", headers={"Accept-Language": "ja-JP"})
    assert canonical.get_json()["statements"][0]["object"]["definition"]["name"] == {
        "ja-JP": "面談"}
    only_ids = lrs.get(format="ids").get_json()["statements"][0]
    assert only_ids["object"] == {"objectType": "Activity", "id": s["object"]["id"]}
    assert only_ids["verb"] == {"id": s["verb"]["id"]}


def test_about_needs_no_credentials(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert "1.0.3" in response.get_json()["version"]


def test_activities_and_agents_resources(lrs):
    s = statement(activity="http://other.example/activities/9")
    s["object"]["definition"] = {"name": {"ja-JP": "相談対応"}}
    s["actor"]["name"] = "山田 花子"
    lrs.post(s)
    activity = lrs.get("/xapi/activities", activityId="http://other.example/activities/9")
    assert activity.get_json()["definition"]["name"] == {"ja-JP": "相談対応"}
    person = lrs.get("/xapi/agents", agent=json.dumps(agent()))
    assert person.get_json()["objectType"] == "Person"
    assert person.get_json()["name"] == ["山田 花子"]
    assert lrs.get("/xapi/activities").status_code == 400


def test_statements_targeting_a_match_are_returned_with_it(lrs):
    """xAPI 1.0.3: filters also return statements that target a matching one (StatementRef)."""
    target = statement(agent("carol"), activity="http://other.example/activities/7")
    lrs.post(target)
    comment = statement(agent("dave"), verb="http://adlnet.gov/expapi/verbs/commented")
    comment["object"] = {"objectType": "StatementRef", "id": target["id"]}
    lrs.post(comment)
    assert set(ids(lrs.get(agent=json.dumps(agent("carol"))))) == {target["id"], comment["id"]}
    assert set(ids(lrs.get(activity="http://other.example/activities/7"))) == {
        target["id"], comment["id"]}
    assert ids(lrs.get(agent=json.dumps(agent("dave")))) == [comment["id"]]


def test_cors_is_off_by_default(lrs, client):
    preflight = client.options("/xapi/statements", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in preflight.headers
    response = lrs.get(headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_preflight_and_headers_for_listed_origins(app, lrs, client):
    app.config["XAPI_CORS_ORIGINS"] = "https://content.example https://other.example"
    preflight = client.options("/xapi/statements", headers={
        "Origin": "https://content.example", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://content.example"
    assert "Origin" in preflight.headers["Vary"]
    app.config["XAPI_CORS_ORIGINS"] = "*"  # not a wildcard: credentials travel with it
    refused = client.options("/xapi/statements", headers={
        "Origin": "https://content.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in refused.headers
    app.config["XAPI_CORS_ORIGINS"] = "https://content.example"
    assert "X-Experience-API-Version" in preflight.headers["Access-Control-Allow-Headers"]
    response = lrs.get(headers={"Origin": "https://content.example"})
    assert "X-Experience-API-Consistent-Through" in \
        response.headers["Access-Control-Expose-Headers"]


def test_the_same_new_statement_posted_twice_at_once_is_stored_once(app, lrs):
    import threading

    s = statement()
    barrier, codes = threading.Barrier(4), []

    def send():
        with app.test_client() as c:
            barrier.wait()
            codes.append(c.post("/xapi/statements", data=json.dumps(s),
                                content_type="application/json",
                                headers=lrs.headers()).status_code)

    at_once(send, [()] * 4, 30)
    assert codes == [200] * 4
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 1


def test_resending_a_statement_without_timestamp_is_not_a_conflict(lrs):
    s = statement()
    assert lrs.post(s).status_code == 200
    assert lrs.post(s).status_code == 200
    assert lrs.put(s, s["id"]).status_code == 204


def test_lrs_errors_outside_its_views_are_json_too(app, lrs, client):
    assert client.get("/xapi/nowhere").get_json()["error"]["code"] == 404
    assert client.delete("/xapi/statements", headers=lrs.headers()).status_code == 405
    app.config["MAX_CONTENT_LENGTH"] = 1000
    too_big = lrs.post([statement() for _ in range(20)])
    assert too_big.status_code == 413 and too_big.is_json


def test_types_are_strict_where_pydantic_would_coerce(lrs):
    assert lrs.post(statement(result={"score": {"scaled": "0.8"}})).status_code == 400
    assert lrs.post(statement(result={"success": "true"})).status_code == 400
    assert lrs.post(statement(result={"score": {"scaled": 0.8, "raw": 8, "max": 10},
                                      "success": True})).status_code == 200


def test_timestamps_in_other_iso_forms_are_stored(lrs):
    for ts in ("2026-11-26T10:00:00", "2026-11-26T10:00:00.123456789Z",
               "2026-11-26T19:00:00+0900"):
        s = statement(timestamp=ts)
        assert lrs.post(s).status_code == 200, ts
        assert lrs.get(statementId=s["id"]).get_json()["timestamp"] == ts  # kept as sent
