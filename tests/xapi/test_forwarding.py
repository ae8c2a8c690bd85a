"""Forwarding to real external LRS processes: nothing lost, nothing doubled, in order."""

from __future__ import annotations

import base64
import json
import threading
import urllib.request
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms import xapi
from lms.auth.models import User
from lms.extensions import db
from lms.xapi import forward, vocab
from lms.xapi.models import ForwarderState, OutboxEntry, Statement
from tests.xapi.servers import LmsLrsServer, RalphServer


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    with RalphServer(tmp_path_factory.mktemp("ralph")) as server:
        yield server


@pytest.fixture(scope="module")
def second_lrs(tmp_path_factory):
    with LmsLrsServer(tmp_path_factory.mktemp("lms-lrs")) as server:
        yield server


def point_at(app, server, batch=100, timeout=5.0):
    app.config.update(XAPI_FORWARD_URL=server.url, XAPI_FORWARD_KEY=server.key,
                      XAPI_FORWARD_SECRET=server.secret, XAPI_FORWARD_BATCH=batch,
                      XAPI_FORWARD_TIMEOUT=timeout, XAPI_FORWARD_BACKOFF=0.2,
                      XAPI_FORWARD_BACKOFF_MAX=5.0)


def record_many(app, user_id: int, count: int) -> list[str]:
    """Store *count* learning records through the LMS's own recorder; return their ids."""
    with app.app_context():
        user = db.session.get(User, user_id)
        ids = []
        for i in range(count):
            ids.append(xapi.record(user, vocab.ANSWERED, xapi.activity(
                xapi.activity_iri("quizzes", "group-a", "questions", f"q{i}"),
                vocab.TYPE_QUESTION, f"問{i}"))["id"])
        db.session.commit()
        return ids


def basic_auth(server) -> str:
    return "Basic " + base64.b64encode(f"{server.key}:{server.secret}".encode()).decode()


def pending(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEntry))


def run(app, **kw) -> forward.Summary:
    with app.app_context():
        return forward.run(**kw)


def test_backoff_doubles_up_to_a_cap():
    assert [forward.backoff(n, 5, 60).total_seconds() for n in (1, 2, 3, 4, 5)] == \
        [5, 10, 20, 40, 60]


def test_nothing_is_queued_when_forwarding_is_off(app, make_user):
    record_many(app, make_user(), 3)
    assert pending(app) == 0
    assert run(app).skipped.startswith("forwarding is not configured")


def test_ralph_receives_every_statement_once_in_order(app, make_user, ralph):
    point_at(app, ralph, batch=100)
    ids = record_many(app, make_user(), 250)
    assert pending(app) == 250
    summary = run(app)
    assert (summary.sent, summary.dead, summary.batches) == (250, 0, 3)
    assert pending(app) == 0
    arrived = [s["id"] for s in ralph.arrival_order() if s["id"] in set(ids)]
    assert arrived == ids
    assert run(app).sent == 0  # nothing left: a second run sends nothing again
    assert len([s for s in ralph.statements() if s["id"] in set(ids)]) == 250
    with app.app_context():
        state = db.session.get(ForwarderState, 1)
        assert state.forwarded_total == 250 and state.failures == 0


def test_lrs_down_slow_and_failing_loses_and_doubles_nothing(app, make_user, second_lrs):
    point_at(app, second_lrs, batch=10, timeout=1.0)
    uid = make_user()
    ids = record_many(app, uid, 25)

    second_lrs.stop()  # connection refused
    down = run(app)
    assert down.sent == 0 and "Connection refused" in down.error
    assert run(app).skipped.startswith("backing off")
    assert pending(app) == 25

    second_lrs.start()
    second_lrs.set_fault("5xx")
    failing = run(app, ignore_backoff=True)
    assert failing.sent == 0 and "HTTP 503" in failing.error
    with app.app_context():
        state = db.session.get(ForwarderState, 1)
        assert state.failures == 2
        assert state.next_attempt_at - state.last_attempt_at == timedelta(seconds=0.4)

    second_lrs.set_fault("stall 2")  # slower than the 1 s timeout; it still stores them late
    slow = run(app, ignore_backoff=True)
    assert slow.sent == 0 and "timed out" in slow.error.lower()
    ids += record_many(app, uid, 5)  # the LMS goes on recording meanwhile

    second_lrs.set_fault("")
    healthy = run(app, ignore_backoff=True)
    assert healthy.sent == 30 and healthy.error is None
    assert pending(app) == 0
    mine = set(ids)
    remote = [s["id"] for s in second_lrs.statements() if s["id"] in mine]
    assert remote == ids  # none lost, none doubled, in the order they were recorded
    with app.app_context():
        assert db.session.get(ForwarderState, 1).failures == 0


def test_a_rejected_statement_is_parked_and_the_rest_go_on(app, make_user, second_lrs):
    point_at(app, second_lrs, batch=10)
    ids = record_many(app, make_user(), 6)
    # The external LRS already holds a *different* statement under the id of the third one.
    clash = {"id": ids[2], "actor": {"mbox": "mailto:someone@else.example"},
             "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
             "object": {"id": "http://else.example/x"}}
    request = urllib.request.Request(second_lrs.url + "statements", method="POST",
                                     data=json.dumps(clash).encode(), headers={
                                         "Authorization": basic_auth(second_lrs),
                                         "X-Experience-API-Version": "1.0.3",
                                         "Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5).close()

    summary = run(app)
    assert (summary.sent, summary.dead) == (5, 1)
    remote = {s["id"] for s in second_lrs.statements()}
    assert set(ids) - remote == set() and ids[2] in remote
    with app.app_context():
        entry = db.session.execute(sa.select(OutboxEntry)).scalar_one()
        assert entry.dead_at is not None and "409" in entry.last_error
        assert db.session.get(Statement, entry.statement_seq).statement_id == ids[2]
        assert forward.retry_dead() == 1  # an administrator sends it again
        db.session.commit()
    assert run(app).dead == 1  # still refused: parked again, nothing else held up
    assert pending(app) == 1


def test_two_forwarders_at_once_send_each_statement_once(app, make_user, ralph):
    point_at(app, ralph, batch=20)
    ids = record_many(app, make_user(), 120)
    results: list[forward.Summary] = []
    barrier = threading.Barrier(2)

    def worker():
        with app.app_context():
            barrier.wait()
            results.append(forward.run())
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(r.sent for r in results) == 120
    assert pending(app) == 0
    arrived = [s["id"] for s in ralph.arrival_order() if s["id"] in set(ids)]
    assert arrived == ids


def test_forward_command_reports_what_it_did(app, runner, make_user, ralph):
    point_at(app, ralph)
    record_many(app, make_user(), 3)
    result = runner.invoke(args=["lms", "xapi-forward"])
    assert result.exit_code == 0 and "sent 3, dead 0" in result.output
    again = runner.invoke(args=["lms", "xapi-forward"])
    assert "sent 0, dead 0" in again.output
