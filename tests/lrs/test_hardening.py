"""The LRS under abuse: big or malformed bodies, HEAD on documents, rates, faults (issue #11)."""

from __future__ import annotations

import json

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from lms.lrs import views
from tests.lrs.conftest import Lrs, agent, basic, make_client, statement

ACTIVITY = "http://other.example/activities/1"


def alternate(client, auth_header=None, **fields):
    headers = {"Authorization": auth_header} if auth_header else {}
    return client.post("/xapi/statements?method=PUT", data=fields, headers=headers)


class Unreadable:
    """A request body that fails the test if anyone reads it."""

    def read(self, *_args):
        raise AssertionError("the body was read")


def send_unread(app, headers: dict) -> tuple[str, dict]:
    """POST an alternate-syntax request whose body must not be read; return status and JSON."""
    environ = EnvironBuilder("/xapi/statements", method="POST", query_string="method=POST",
                             content_type="application/x-www-form-urlencoded",
                             headers=headers).get_environ()
    environ["wsgi.input"] = Unreadable()
    environ["CONTENT_LENGTH"] = str(100 * 1024 * 1024)
    body, status, _headers = run_wsgi_app(app.wsgi_app, environ, buffered=True)
    return status, json.loads(b"".join(body))


def test_alternate_syntax_refuses_bad_credentials_before_reading_the_body(app):
    status, body = send_unread(app, {"Authorization": basic("nobody", "wrong")})
    assert status.startswith("401") and body["error"]["code"] == 401


def test_alternate_syntax_refuses_a_declared_oversize_body_unread(app, lrs):
    status, body = send_unread(app, {"Authorization": lrs.auth})
    assert status.startswith("413") and body["error"]["code"] == 413


def test_alternate_syntax_stops_reading_at_the_limit(app, lrs, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = alternate(client, Authorization=lrs.auth, content="x" * 5000)
    assert response.status_code == 413
    assert "1000 bytes" in response.get_json()["error"]["message"]


def test_alternate_syntax_without_credentials_is_401_json(client):
    response = alternate(client, **{"X-Experience-API-Version": "1.0.3"}, content="{}")
    assert response.status_code == 401 and response.is_json


def test_alternate_syntax_bad_bytes_and_deep_nesting_are_json_400(lrs, client):
    bad = client.post("/xapi/statements?method=PUT", data=b"content=%FF%FE\xff",
                      content_type="application/x-www-form-urlencoded")
    assert bad.status_code == 400 and bad.is_json
    s = statement()
    deep = alternate(client, Authorization=lrs.auth, statementId=s["id"],
                     **{"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"},
                     content="[" * 100_000 + "]" * 100_000)
    assert deep.status_code == 400 and deep.is_json


def test_deeply_nested_json_is_400_not_500(lrs):
    response = lrs.client.post("/xapi/statements", data="[" * 50_000 + "]" * 50_000,
                               content_type="application/json", headers=lrs.headers())
    assert response.status_code == 400 and response.is_json
    bad_bytes = lrs.client.post("/xapi/statements", data=b'{"actor": "\xff\xfe"}',
                                content_type="application/json", headers=lrs.headers())
    assert bad_bytes.status_code == 400 and bad_bytes.is_json


@pytest.mark.parametrize("path,address", [
    ("/xapi/activities/state", {"activityId": ACTIVITY, "stateId": "s"}),
    ("/xapi/activities/profile", {"activityId": ACTIVITY, "profileId": "p"}),
    ("/xapi/agents/profile", {"profileId": "p"}),
])
def test_head_on_a_document_is_a_get_without_body(app, lrs, path, address):
    make_client(app, key="reader", secret="reader-secret", write=False)
    reader = Lrs(lrs.client, "reader", "reader-secret")
    if "state" in path or "agents" in path:
        address = {**address, "agent": json.dumps(agent())}
    missing = reader.client.head(path, query_string=address, headers=reader.headers())
    assert missing.status_code == 404
    assert lrs.get(path, **address).status_code == 404  # HEAD created nothing
    lrs.client.put(path, query_string=address, data=json.dumps({"page": 3}),
                   content_type="application/json", headers=lrs.headers())
    head = reader.client.head(path, query_string=address, headers=reader.headers())
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"]
    assert lrs.get(path, **address).get_json() == {"page": 3}  # not blanked


def test_statements_per_request_are_limited(app, lrs):
    app.config["XAPI_MAX_STATEMENTS"] = 5
    too_many = lrs.post([statement() for _ in range(6)])
    assert too_many.status_code == 413
    assert "At most 5 statements" in too_many.get_json()["error"]["message"]
    assert lrs.post([statement() for _ in range(5)]).status_code == 200


def test_the_default_statement_limit_is_1000_and_nothing_of_a_bigger_batch_is_stored(app, lrs):
    assert app.config["XAPI_MAX_STATEMENTS"] == 1000
    one = statement()
    too_many = lrs.post([one] + [statement() for _ in range(1000)])
    assert too_many.status_code == 413 and "1000" in too_many.get_json()["error"]["message"]
    assert lrs.get(statementId=one["id"]).status_code == 404


def test_request_rate_per_client(app, lrs):
    app.config["XAPI_RATE_LIMIT"] = "3 per minute"
    make_client(app, key="other", secret="other-secret")
    other = Lrs(lrs.client, "other", "other-secret")
    codes = [lrs.get().status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert lrs.get().is_json
    assert other.get().status_code == 200  # another client has its own allowance


def test_a_fault_in_a_view_is_a_json_500(app, lrs, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.query, "search", broken)
    response = lrs.get()
    assert response.status_code == 500 and response.is_json
    assert "boom" not in response.get_data(as_text=True)


def test_nul_in_parameters_is_400(lrs):
    assert lrs.get(verb="http://x.example/\x00").status_code == 400
    assert lrs.get(agent=json.dumps(agent("a\x00b"))).status_code == 400


@pytest.mark.parametrize("change", [
    {"timestamp": "0001-01-01T00:00:00+14:00"},
    {"timestamp": "9999-12-31T23:59:59-14:00"},
    {"verb": {"id": "http://x.example/" + "v" * 2000}},
    {"object": {"objectType": "Activity", "id": "http://x.example/" + "a" * 2000}},
    {"actor": agent("nul\x00name")},
    {"result": {"response": "a\x00b"}},
])
def test_out_of_range_long_and_nul_values_are_400(lrs, change):
    response = lrs.post({**statement(), **change})
    assert response.status_code == 400 and response.is_json, change


@pytest.mark.parametrize("params", [
    {"activityId": "http://x.example/" + "a" * 2000, "stateId": "s"},
    {"activityId": ACTIVITY, "stateId": "s" * 1000},
])
def test_long_document_addresses_are_400(lrs, params):
    where = {**params, "agent": json.dumps(agent())}
    response = lrs.client.put("/xapi/activities/state", query_string=where, data="{}",
                              content_type="application/json", headers=lrs.headers())
    assert response.status_code == 400 and response.is_json


def test_a_long_document_content_type_is_400(lrs):
    where = {"activityId": ACTIVITY, "stateId": "s", "agent": json.dumps(agent())}
    response = lrs.client.put("/xapi/activities/state", query_string=where, data="{}",
                              content_type="application/json; x=" + "y" * 300,
                              headers=lrs.headers())
    assert response.status_code == 400 and response.is_json


def test_a_big_batch_does_not_lock_out_other_writers(app, lrs):
    """Trainees' autosaves keep working while a client posts the largest batches allowed."""
    import threading
    import time

    from lms.extensions import db
    from lms.lrs import documents
    from lms.lrs.models import DocumentKind

    done, failures, slowest = threading.Event(), [], [0.0]

    def poster():
        with app.test_client() as c:
            for _ in range(3):
                answer = c.post("/xapi/statements",
                                data=json.dumps([statement() for _ in range(1000)]),
                                content_type="application/json", headers=lrs.headers())
                assert answer.status_code == 200
        done.set()

    thread = threading.Thread(target=poster)
    thread.start()
    saves = 0
    while not done.is_set() or saves < 5:
        with app.app_context():
            started = time.monotonic()
            try:
                documents.put(documents.Address(DocumentKind.STATE, ACTIVITY, "k"), "draft",
                              b'{"n": %d}' % saves, "application/json", merge=False)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001  (any failure is what the test looks for)
                failures.append(repr(exc))
            slowest[0] = max(slowest[0], time.monotonic() - started)
        saves += 1
    thread.join(60)
    assert failures == []
    assert slowest[0] < 2.0, slowest
