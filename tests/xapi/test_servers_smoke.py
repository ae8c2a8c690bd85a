"""The external-LRS harness works: a real Ralph stores a batch once, in order, and serves it."""

from __future__ import annotations

import json
import urllib.request
import uuid

from tests.xapi.servers import RalphServer


def statement(n: int) -> dict:
    return {"id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent",
                      "account": {"homePage": "http://lms.test", "name": f"learner-{n}"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered",
                     "display": {"en-US": "answered"}},
            "object": {"objectType": "Activity", "id": f"http://lms.test/activities/{n}",
                       "definition": {"name": {"ja-JP": f"設問{n}"}}},
            "timestamp": "2026-11-26T10:00:00+00:00"}


def post(server: RalphServer, body) -> tuple[int, bytes]:
    request = urllib.request.Request(server.url + "statements", method="POST",
                                     data=json.dumps(body).encode(), headers={
                                         **server.headers(), "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def test_ralph_stores_a_batch_once_and_lists_it_in_order(tmp_path):
    batch = [statement(n) for n in range(3)]
    ids = [s["id"] for s in batch]
    with RalphServer(tmp_path) as ralph:
        status, body = post(ralph, batch)
        assert status == 200 and json.loads(body) == ids
        status, _ = post(ralph, batch)  # identical duplicates: accepted, not stored again
        assert status in (200, 204)
        stored = ralph.statements()
        assert [s["id"] for s in stored] == ids
        assert stored[0]["actor"]["account"]["name"] == "learner-0"
        assert [s["id"] for s in ralph.arrival_order()] == ids
