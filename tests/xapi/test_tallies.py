"""The per-day, per-verb tallies of the store are added at commit: exact through savepoints
that roll back, and writers that store verbs in opposite orders never deadlock on them."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from lms import xapi
from lms.auth.models import User
from lms.extensions import db
from lms.xapi import vocab
from lms.xapi.models import Statement, StatementTally
from tests.factories import at_once


def tallied() -> dict[str, int]:
    return dict(db.session.execute(sa.select(StatementTally.verb_id, sa.func.sum(
        StatementTally.count)).group_by(StatementTally.verb_id)).all())


def stored() -> dict[str, int]:
    return dict(db.session.execute(sa.select(Statement.verb_id, sa.func.count())
                                   .group_by(Statement.verb_id)).all())


def lms_activity():
    return xapi.activity(xapi.activity_iri("lms"), vocab.TYPE_LMS, "LMS")


def test_a_savepoint_rolled_back_counts_nothing_and_one_released_counts(app, make_user):
    uid = make_user()
    with app.app_context():
        user = db.session.get(User, uid)
        xapi.record(user, vocab.LOGGED_IN, lms_activity())
        with db.session.begin_nested() as savepoint:
            xapi.record(user, vocab.LOGGED_OUT, lms_activity())
            savepoint.rollback()
        with db.session.begin_nested():
            xapi.record(user, vocab.LOGGED_IN, lms_activity())
        db.session.commit()
        assert tallied() == stored() == {vocab.LOGGED_IN.id: 2}

        xapi.record(user, vocab.LOGGED_OUT, lms_activity())
        db.session.rollback()  # a whole transaction rolled back: nothing counted, later either
        xapi.record(user, vocab.LOGGED_IN, lms_activity())
        db.session.commit()
        assert tallied() == stored() == {vocab.LOGGED_IN.id: 3}


def test_writers_storing_verbs_in_opposite_orders_both_commit(app, make_user):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("row locks and concurrent writers: PostgreSQL (LMS_TEST_DATABASE_URL)")
    uid = make_user()
    with app.app_context():  # both tally rows exist, as they do all day after the first
        user = db.session.get(User, uid)
        for verb in (vocab.LOGGED_IN, vocab.LOGGED_OUT):
            xapi.record(user, verb, lms_activity())
        db.session.commit()
    barrier = threading.Barrier(2, timeout=20)
    errors: list[str] = []

    def writer(first, second):
        try:
            with app.app_context():
                user = db.session.get(User, uid)
                xapi.record(user, first, lms_activity())
                barrier.wait()  # each has stored its first verb before either stores a second
                xapi.record(user, second, lms_activity())
                db.session.commit()
        except Exception as exc:  # noqa: BLE001  (a deadlock, reported by PostgreSQL)
            errors.append(repr(exc))

    at_once(writer, [(vocab.LOGGED_IN, vocab.LOGGED_OUT), (vocab.LOGGED_OUT, vocab.LOGGED_IN)])
    assert errors == []
    with app.app_context():
        assert tallied() == stored() == {vocab.LOGGED_IN.id: 3, vocab.LOGGED_OUT.id: 3}
