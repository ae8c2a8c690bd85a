"""The recording path: statements are validated and stored with the change they describe."""

import pytest
import sqlalchemy as sa

from lms import xapi
from lms.auth.models import User
from lms.extensions import db
from lms.xapi import vocab
from lms.xapi.models import Statement


def test_record_stores_a_valid_statement(app, make_user):
    uid = make_user()
    with app.app_context():
        user = db.session.get(User, uid)
        row = xapi.record(user, vocab.LOGGED_IN,
                          xapi.activity(xapi.activity_iri("lms"), vocab.TYPE_LMS, "LMS"),
                          registration="0f8fad5b-d9cb-469f-a165-70867728950e")
        db.session.commit()
        stored = db.session.execute(sa.select(Statement)).scalar_one()
        assert stored.statement_id == row["id"]
        assert stored.payload["actor"]["account"] == {
            "homePage": "http://lms.test", "name": user.public_id}
        assert stored.payload["object"]["id"] == "http://lms.test/xapi/activities/lms"
        assert stored.registration == stored.payload["context"]["registration"]


def test_invalid_statement_is_refused(app, make_user):
    uid = make_user()
    with app.app_context():
        user = db.session.get(User, uid)
        with pytest.raises(xapi.InvalidStatement):
            xapi.record(user, vocab.LOGGED_IN, {"objectType": "Activity", "id": "not an iri"})


def test_statement_rolls_back_with_its_change(app, make_user):
    uid = make_user()
    with app.app_context():
        user = db.session.get(User, uid)
        xapi.record(user, vocab.LOGGED_IN,
                    xapi.activity(xapi.activity_iri("lms"), vocab.TYPE_LMS, "LMS"))
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 0


def test_scores_are_stored_as_numbers(app, make_user):
    """ralph's JSON dump turns decimals into strings; the store keeps JSON numbers."""
    uid = make_user()
    with app.app_context():
        user = db.session.get(User, uid)
        xapi.record(user, vocab.PASSED, xapi.activity(xapi.activity_iri("quizzes", "a"),
                                                      vocab.TYPE_ASSESSMENT, "A"),
                    result={"score": {"scaled": 0.85, "raw": 17, "min": 0, "max": 20},
                            "success": True})
        db.session.commit()
        payload = db.session.execute(sa.select(Statement.payload)).scalar_one()
        assert payload["result"]["score"] == {"scaled": 0.85, "raw": 17, "min": 0, "max": 20}
