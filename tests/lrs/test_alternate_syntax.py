"""The alternate request syntax: method, headers and content sent as a form."""

from __future__ import annotations

import json

from tests.lrs.conftest import statement


def form(lrs, **fields) -> dict:
    return {"Authorization": lrs.auth, "X-Experience-API-Version": "1.0.3", **fields}


def test_put_and_get_through_the_alternate_syntax(lrs, client):
    s = statement()
    put = client.post("/xapi/statements?method=PUT", data=form(
        lrs, statementId=s["id"], **{"Content-Type": "application/json"},
        content=json.dumps(s)))
    assert put.status_code == 204, put.get_data()
    got = client.post("/xapi/statements?method=GET", data=form(lrs, statementId=s["id"]))
    assert got.get_json()["id"] == s["id"]
    assert lrs.get(statementId=s["id"]).status_code == 200


def test_alternate_syntax_still_authenticates_and_refuses_extra_parameters(lrs, client):
    anonymous = client.post("/xapi/statements?method=GET",
                            data={"X-Experience-API-Version": "1.0.3"})
    assert anonymous.status_code == 401
    extra = client.post("/xapi/statements?method=GET&limit=1", data=form(lrs))
    assert extra.status_code == 400
    unknown = client.post("/xapi/statements?method=PATCH", data=form(lrs))
    assert unknown.status_code == 400


def test_head_answers_headers_only(lrs):
    response = lrs.client.head("/xapi/statements", headers=lrs.headers())
    assert response.status_code == 200 and response.data == b""
    assert "X-Experience-API-Consistent-Through" in response.headers
