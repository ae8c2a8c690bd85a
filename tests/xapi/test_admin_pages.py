"""Administrators browse statements, manage LRS clients and watch forwarding."""

from __future__ import annotations

import base64

import sqlalchemy as sa

from lms import xapi
from lms.auth.models import User
from lms.extensions import db
from lms.lrs.models import LrsClient
from lms.security import Role
from lms.xapi import vocab
from lms.xapi.models import OutboxEntry, Statement


def admin(auth, make_user):
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")


def test_statement_browser_filters_by_learner_email_and_shows_json(app, client, auth,
                                                                   make_user):
    alice = make_user("alice@example.jp", name="山田 花子")
    bob = make_user("bob@example.jp", name="鈴木 一郎")
    with app.app_context():
        for uid, name in ((alice, "相談対応"), (bob, "制度の理解")):
            xapi.record(db.session.get(User, uid), vocab.PASSED, xapi.activity(
                xapi.activity_iri("quizzes", str(uid)), vocab.TYPE_ASSESSMENT, name))
        db.session.commit()
        alice_id = db.session.execute(sa.select(Statement.statement_id).where(
            Statement.payload["object"]["id"].as_string().contains(f"/{alice}"))).scalar_one()
    admin(auth, make_user)
    page = client.get("/admin/xapi/statements", query_string={"agent": "alice@example.jp"})
    assert page.status_code == 200
    assert "相談対応" in page.text and "制度の理解" not in page.text
    assert "合格した" in page.text  # the verb's Japanese display
    bad = client.get("/admin/xapi/statements", query_string={"registration": "abc"})
    assert "UUID" in bad.text and bad.status_code == 200
    unknown = client.get("/admin/xapi/statements", query_string={"agent": "nobody@example.jp"})
    assert "nobody@example.jp" in unknown.text
    detail = client.get(f"/admin/xapi/statements/{alice_id}")
    assert alice_id in detail.text and "&#34;verb&#34;" in detail.text


def test_clients_are_created_shown_once_and_revoked(app, client, auth, make_user):
    admin(auth, make_user)
    page = client.post("/admin/xapi/clients", data={"name": "分析基盤", "key": "analytics",
                                                      "can_read": "y"})
    assert page.status_code == 200
    secret = page.text.split("<dt>シークレット</dt><dd><code>")[1].split("</code>")[0]
    auth_header = "Basic " + base64.b64encode(f"analytics:{secret}".encode()).decode()
    headers = {"Authorization": auth_header, "X-Experience-API-Version": "1.0.3"}
    assert client.get("/xapi/statements", headers=headers).status_code == 200
    assert client.post("/xapi/statements", json={}, headers=headers).status_code == 403
    assert secret not in client.get("/admin/xapi/clients").text  # shown once only
    duplicate = client.post("/admin/xapi/clients", data={"name": "x", "key": "analytics",
                                                           "can_read": "y"})
    assert "既に" in duplicate.text
    with app.app_context():
        client_id = db.session.execute(sa.select(LrsClient.id).where(
            LrsClient.key == "analytics")).scalar_one()
    client.post(f"/admin/xapi/clients/{client_id}/revoke")
    assert client.get("/xapi/statements", headers=headers).status_code == 401


def test_forwarding_page_lists_dead_letters_and_retries_them(app, client, auth, make_user):
    app.config["XAPI_FORWARD_URL"] = "http://127.0.0.1:9/xapi/"
    uid = make_user()
    with app.app_context():
        xapi.record(db.session.get(User, uid), vocab.LOGGED_IN, xapi.activity(
            xapi.activity_iri("lms"), vocab.TYPE_LMS, "LMS"))
        db.session.execute(sa.update(OutboxEntry).values(
            dead_at=sa.func.now(), last_error="HTTP 400: invalid"))
        db.session.commit()
    admin(auth, make_user)
    page = client.get("/admin/xapi/forwarding")
    assert "HTTP 400: invalid" in page.text and "http://127.0.0.1:9/xapi/" in page.text
    client.post("/admin/xapi/forwarding/retry")
    with app.app_context():
        # back in the queue (beside the admin's own login statement, also waiting)
        assert db.session.scalars(sa.select(OutboxEntry.dead_at)).all() == [None, None]


def test_trainees_cannot_reach_learning_record_pages(client, auth, make_user):
    make_user("t@example.jp", Role.TRAINEE)
    auth.login("t@example.jp")
    for path in ("/admin/xapi/statements", "/admin/xapi/clients", "/admin/xapi/forwarding"):
        assert client.get(path).status_code == 403


def test_statements_per_day_counts_tokyo_days(app, make_user, monkeypatch):
    from datetime import timedelta

    from lms.timeutil import today_tokyo, utcnow
    from lms.xapi import recorder
    from lms.xapi.tallies import statements_per_day

    uid = make_user()
    with app.app_context():
        user = db.session.get(User, uid)
        obj = xapi.activity(xapi.activity_iri("lms"), vocab.TYPE_LMS, "LMS")
        yesterday = utcnow() - timedelta(days=1)
        monkeypatch.setattr(recorder, "utcnow", lambda: yesterday)
        xapi.record(user, vocab.LOGGED_IN, obj)
        monkeypatch.undo()
        for _ in range(2):
            xapi.record(user, vocab.LOGGED_IN, obj)
        db.session.commit()
        days = statements_per_day()
        assert len(days) == 14
        assert days[-1] == (today_tokyo().strftime("%m/%d"), 2)
        assert days[-2][1] == 1


def test_tallies_match_the_store_and_the_migration_backfill(app, make_user):
    """The tallies kept on save equal a count of the store (what the migration backfills)."""
    from lms.xapi import seed, tallies
    from lms.xapi.models import StatementTally

    uid = make_user()
    with app.app_context():
        user = db.session.get(User, uid)
        obj = xapi.activity(xapi.activity_iri("lms"), vocab.TYPE_LMS, "LMS")
        for verb in (vocab.LOGGED_IN, vocab.LOGGED_OUT, vocab.LOGGED_IN):
            xapi.record(user, verb, obj)
        seed.seed(30)
        db.session.commit()  # what save stored is tallied as its transaction commits
        kept = {(d, v): n for d, v, n in db.session.execute(sa.select(
            StatementTally.day, StatementTally.verb_id, StatementTally.count)).all()}
        db.session.execute(sa.delete(StatementTally))
        tallies.count_stored_after(0)
        counted = {(d, v): n for d, v, n in db.session.execute(sa.select(
            StatementTally.day, StatementTally.verb_id, StatementTally.count)).all()}
        assert kept == counted
        assert sum(counted.values()) == db.session.scalar(
            sa.select(sa.func.count()).select_from(Statement)) == 33
        assert tallies.stored_total() == (33, False)


def test_statements_per_verb_names_verbs_in_japanese(app, make_user):
    from lms.xapi.tallies import statements_per_verb

    uid = make_user()
    with app.app_context():
        user = db.session.get(User, uid)
        obj = xapi.activity(xapi.activity_iri("lms"), vocab.TYPE_LMS, "LMS")
        for verb in (vocab.LOGGED_IN, vocab.LOGGED_IN, vocab.LOGGED_OUT):
            xapi.record(user, verb, obj)
        db.session.commit()
        assert statements_per_verb() == [("ログインした", 2), ("ログアウトした", 1)]
