"""LRS fixtures: a client with credentials and a helper speaking xAPI 1.0.3 to /xapi/."""

from __future__ import annotations

import base64
import json
import uuid

import pytest

from lms.extensions import db
from lms.lrs import clients


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


class Lrs:
    """Requests to the embedded LRS with a client's credentials and the version header."""

    def __init__(self, client, key: str, secret: str):
        self.client, self.auth = client, basic(key, secret)

    def headers(self, **extra):
        return {"Authorization": self.auth, "X-Experience-API-Version": "1.0.3", **extra}

    def post(self, body, path="/xapi/statements", **kw):
        return self.client.post(path, data=json.dumps(body), content_type="application/json",
                                headers=self.headers(**kw.pop("headers", {})), **kw)

    def put(self, body, statement_id, **kw):
        return self.client.put("/xapi/statements", query_string={"statementId": statement_id},
                               data=json.dumps(body), content_type="application/json",
                               headers=self.headers(), **kw)

    def get(self, path="/xapi/statements", **params):
        headers = params.pop("headers", {})
        return self.client.get(path, query_string=params, headers=self.headers(**headers))


def make_client(app, key="tester", secret="tester-secret", read=True, write=True):
    with app.app_context():
        clients.create(None, f"client {key}", key=key, secret=secret, read=read, write=write)
        db.session.commit()


@pytest.fixture
def lrs(app, client):
    make_client(app)
    return Lrs(client, "tester", "tester-secret")


def agent(name: str = "learner-1", home: str = "http://other.example") -> dict:
    return {"objectType": "Agent", "account": {"homePage": home, "name": name}}


def statement(actor=None, verb="http://adlnet.gov/expapi/verbs/experienced",
              activity="http://other.example/activities/1", **extra) -> dict:
    return {"id": str(uuid.uuid4()), "actor": actor or agent(),
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
            "object": {"objectType": "Activity", "id": activity}, **extra}
