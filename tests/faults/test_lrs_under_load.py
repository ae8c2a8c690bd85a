"""The external LRS down, slow and refusing while partners post statements under load.

An LMS instance (gunicorn) takes partner batches over HTTP from several threads, with
forwarding on; meanwhile the forwarder runs in a loop against a second LRS that is stopped
(connection refused), answers 503, stalls past the timeout, and holds a clashing statement (a
dead letter). Afterwards forwarding has caught up: every statement the LMS acknowledged arrived
at the external LRS exactly once, and the one it refused is shown to the administrator.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.request
import uuid

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.security import Role
from lms.xapi import forward
from lms.xapi.models import OutboxEntry
from tests.faults.servers import LmsInstance
from tests.xapi.servers import LmsLrsServer
from tests.xapi.test_forwarding import basic_auth, point_at

PARTNER_KEY, PARTNER_SECRET = "partner", "partner-secret"


@pytest.fixture
def second_lrs(tmp_path):
    with LmsLrsServer(tmp_path / "external-lrs") as server:
        yield server


def statement(n: int) -> dict:
    return {"id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent",
                      "account": {"homePage": "http://partner.example", "name": f"p{n % 7}"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced",
                     "display": {"en-US": "experienced"}},
            "object": {"objectType": "Activity", "id": f"http://partner.example/a/{n % 5}"}}


def post_batch(url: str, batch: list[dict]) -> int:
    auth = base64.b64encode(f"{PARTNER_KEY}:{PARTNER_SECRET}".encode()).decode()
    request = urllib.request.Request(url + "/xapi/statements", method="POST",
                                     data=json.dumps(batch).encode(), headers={
                                         "Authorization": f"Basic {auth}",
                                         "X-Experience-API-Version": "1.0.3",
                                         "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def test_forwarding_catches_up_after_faults_under_ingest_load(app, runner, tmp_path,
                                                              second_lrs, make_user, client,
                                                              auth):
    point_at(app, second_lrs, batch=100, timeout=1.0)
    made = runner.invoke(args=["lms", "lrs-client", "create", "partner", "--key", PARTNER_KEY,
                               "--secret", PARTNER_SECRET])
    assert made.exit_code == 0, made.output
    # the statement the external LRS will refuse: it already holds another under that id
    clash = statement(-1)
    other = {**statement(-2), "id": clash["id"]}
    request = urllib.request.Request(second_lrs.url + "statements", method="POST",
                                     data=json.dumps(other).encode(), headers={
                                         "Authorization": basic_auth(second_lrs),
                                         "X-Experience-API-Version": "1.0.3",
                                         "Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).close()

    acknowledged: list[str] = []
    lock = threading.Lock()
    with LmsInstance(tmp_path / "lms", tmp_path, name="lms-ingest",
                     XAPI_FORWARD_URL=second_lrs.url, XAPI_FORWARD_KEY=second_lrs.key,
                     XAPI_FORWARD_SECRET=second_lrs.secret) as lms:
        stop = threading.Event()

        def partner(sizes):
            n = 0
            for _ in range(15):  # bounded: ~300 statements in all
                if stop.is_set():
                    return
                for size in sizes:
                    batch = [statement(n + i) for i in range(size)]
                    n += size
                    if post_batch(lms.url, batch) == 200:
                        with lock:
                            acknowledged.extend(s["id"] for s in batch)
                time.sleep(0.05)

        partners = [threading.Thread(target=partner, args=(sizes,))
                    for sizes in ((1,), (10,), (1, 10))]
        for t in partners:
            t.start()
        assert post_batch(lms.url, [clash]) == 200
        acknowledged.append(clash["id"])

        outcomes = []
        with app.app_context():
            for fault in ("down", "5xx", "stall 2", ""):
                if fault == "down":
                    second_lrs.stop()
                else:
                    second_lrs.start()
                    second_lrs.set_fault(fault)
                time.sleep(0.5)
                outcomes.append(forward.run(ignore_backoff=True))
                db.session.remove()
            for t in partners:
                t.join(30)
            for _ in range(50):  # catch up on what arrived meanwhile
                summary = forward.run(ignore_backoff=True)
                db.session.remove()
                if summary.sent == 0:
                    break
    assert "Connection refused" in outcomes[0].error
    assert "HTTP 503" in outcomes[1].error
    assert "timed out" in outcomes[2].error.lower()
    assert len(acknowledged) > 20

    remote = [s["id"] for s in second_lrs.statements()]
    mine = set(acknowledged)
    arrived = [i for i in remote if i in mine]
    assert len(arrived) == len(set(arrived)), "no statement arrived twice"
    assert set(arrived) == mine, "every acknowledged statement arrived"
    with app.app_context():
        dead = db.session.execute(sa.select(OutboxEntry)).scalars().all()
        assert len(dead) == 1 and dead[0].dead_at is not None and "409" in dead[0].last_error
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")
    page = client.get("/admin/xapi/forwarding").text
    assert "409" in page, "the dead letter is shown to the administrator"
