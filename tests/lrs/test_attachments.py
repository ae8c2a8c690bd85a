"""Statements with attachments in multipart/mixed, stored and returned with attachments=true."""

from __future__ import annotations

import json

from lms.lrs import multipart
from tests.lrs.conftest import statement


def test_statement_with_attachment_round_trip(lrs):
    pdf = b"%PDF-1.4 certificate \r\n--not-a-boundary\r\n"
    s = statement(attachments=[{
        "usageType": "http://id.tincanapi.com/attachment/certificate-of-completion",
        "display": {"ja-JP": "修了証"}, "contentType": "application/pdf",
        "length": len(pdf), "sha2": multipart.sha2(pdf)}])
    content_type, body = multipart.build(json.dumps([s]).encode(), [
        multipart.Part("application/pdf", multipart.sha2(pdf), pdf)])
    response = lrs.client.post("/xapi/statements", data=body, content_type=content_type,
                               headers=lrs.headers())
    assert response.status_code == 200, response.get_json()
    plain = lrs.get(statementId=s["id"])
    assert plain.mimetype == "application/json"
    full = lrs.get(statementId=s["id"], attachments="true")
    assert full.mimetype == "multipart/mixed"
    document, parts = multipart.parse(full.headers["Content-Type"], full.data)
    assert json.loads(document)["id"] == s["id"]
    assert parts[multipart.sha2(pdf)].body == pdf


def test_declared_attachment_missing_from_a_json_post_is_refused(lrs):
    s = statement(attachments=[{
        "usageType": "http://id.tincanapi.com/attachment/certificate-of-completion",
        "display": {"en-US": "x"}, "contentType": "application/pdf", "length": 3,
        "sha2": multipart.sha2(b"abc")}])
    assert lrs.post(s).status_code == 400
    s["attachments"][0]["fileUrl"] = "http://other.example/files/abc.pdf"
    assert lrs.post(s).status_code == 200


def test_part_that_does_not_match_its_hash_is_refused(lrs):
    s = statement()
    content_type, body = multipart.build(json.dumps(s).encode(), [
        multipart.Part("text/plain", multipart.sha2(b"other"), b"this")])
    response = lrs.client.post("/xapi/statements", data=body, content_type=content_type,
                               headers=lrs.headers())
    assert response.status_code == 400
