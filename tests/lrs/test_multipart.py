"""xAPI 1.0.3 multipart/mixed parsing and building (lms.lrs.multipart, no Flask needed)."""

from __future__ import annotations

import hashlib
import json

import pytest

from lms.lrs import multipart
from lms.lrs.multipart import MultipartError, Part, build, check_declared, parse, sha2

STATEMENTS = json.dumps([{"id": "1"}]).encode()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00--\r\n--\r\n\r\n--not-the-boundary\xff\xfe"
TEXT = b"here is a simple attachment"


def part(body: bytes, content_type: str = "application/octet-stream") -> Part:
    return Part(content_type, sha2(body), body)


def document(*parts: bytes, boundary: str = "abcABC0123'()+_,-./:=?", eol: bytes = b"\r\n",
             preamble: bytes = b"", epilogue: bytes = b"") -> bytes:
    """A multipart body from raw parts (each "headers<eol><eol>body"), closed unless told."""
    dash = b"--" + boundary.encode()
    out = preamble + dash
    for raw in parts:
        out += eol + raw + eol + dash
    return out + b"--" + eol + epilogue


def attachment(body: bytes, digest: str | None = None, encoding: str | None = "binary",
               content_type: str = "text/plain", eol: bytes = b"\r\n") -> bytes:
    headers = [f"Content-Type: {content_type}"]
    if encoding is not None:
        headers.append(f"Content-Transfer-Encoding: {encoding}")
    if digest != "":
        headers.append(f"X-Experience-API-Hash: {digest or sha2(body)}")
    return eol.join(h.encode() for h in headers) + eol + eol + body


JSON_PART = b"Content-Type: application/json\r\n\r\n" + STATEMENTS
QUOTED = "multipart/mixed; boundary=\"abcABC0123'()+_,-./:=?\""


def declared(*bodies: bytes, **extra) -> dict:
    return {"usageType": "http://id.tincanapi.com/attachment/certificate-of-completion",
            "display": {"en-US": "a file"}, "contentType": "application/octet-stream",
            "length": len(bodies[0]) if bodies else 0,
            "sha2": sha2(bodies[0]) if bodies else "0" * 64, **extra}


# --- sha2 -------------------------------------------------------------------------------------

def test_sha2_is_lower_case_hex_sha256():
    assert sha2(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert sha2(b"abc") == sha2(b"abc").lower() and len(sha2(b"")) == 64


# --- build → parse ----------------------------------------------------------------------------

def test_round_trip_keeps_json_and_binary_parts():
    content_type, body = build(STATEMENTS, [part(PNG, "image/png"), part(TEXT, "text/plain")])
    statements, parts = parse(content_type, body)
    assert statements == STATEMENTS
    assert parts == {sha2(PNG): Part("image/png", sha2(PNG), PNG),
                     sha2(TEXT): Part("text/plain", sha2(TEXT), TEXT)}


def test_build_writes_the_headers_xapi_requires():
    content_type, body = build(STATEMENTS, [part(TEXT, "text/plain")], boundary="b0und")
    assert content_type == 'multipart/mixed; boundary="b0und"'
    assert body == (b"--b0und\r\nContent-Type: application/json\r\n\r\n" + STATEMENTS
                    + b"\r\n--b0und\r\nContent-Type: text/plain\r\n"
                    + b"Content-Transfer-Encoding: binary\r\n"
                    + b"X-Experience-API-Hash: " + sha2(TEXT).encode() + b"\r\n\r\n" + TEXT
                    + b"\r\n--b0und--\r\n")


def test_build_sends_each_attachment_once():
    _, body = build(STATEMENTS, [part(TEXT), part(PNG), part(TEXT)], boundary="b0und")
    assert body.count(b"X-Experience-API-Hash") == 2
    assert body.count(TEXT) == 1


def test_build_without_parts_is_the_json_alone():
    content_type, body = build(STATEMENTS, [])
    assert parse(content_type, body) == (STATEMENTS, {})


def test_random_boundary_avoids_every_body(monkeypatch):
    tokens = iter(["clash", "clash", "fresh"])
    monkeypatch.setattr(multipart.secrets, "token_hex", lambda n: next(tokens))
    content_type, body = build(STATEMENTS, [part(b"xx--xapi-clash yy")])
    assert content_type == 'multipart/mixed; boundary="xapi-fresh"'
    assert parse(content_type, body)[1][sha2(b"xx--xapi-clash yy")].body == b"xx--xapi-clash yy"


def test_random_boundaries_differ():
    assert build(STATEMENTS, [])[0] != build(STATEMENTS, [])[0]


@pytest.mark.parametrize("boundary", ["simple", "", 'quo"te'])
def test_given_boundary_in_a_body_or_unusable_is_refused(boundary):
    with pytest.raises(ValueError):
        build(STATEMENTS, [part(b"a simple body")], boundary=boundary)


def test_build_refuses_line_breaks_in_headers():
    with pytest.raises(ValueError):
        build(STATEMENTS, [Part("text/plain\r\nX-Evil: 1", sha2(TEXT), TEXT)])


# --- parse: what is accepted ------------------------------------------------------------------

def test_quoted_boundary_with_special_characters():
    body = document(JSON_PART, attachment(TEXT))
    statements, parts = parse(QUOTED, body)
    assert statements == STATEMENTS and list(parts) == [sha2(TEXT)]


@pytest.mark.parametrize("header", [
    "multipart/mixed; boundary=plain",
    "Multipart/Mixed;BOUNDARY=plain",
    'multipart/mixed; charset=utf-8; boundary="plain"',
    "multipart/mixed; boundary=plain; charset=utf-8",
])
def test_content_type_spellings(header):
    body = document(JSON_PART, attachment(TEXT), boundary="plain")
    assert parse(header, body)[1][sha2(TEXT)].body == TEXT


def test_only_the_json_part_gives_no_attachments():
    assert parse(QUOTED, document(JSON_PART)) == (STATEMENTS, {})


def test_json_part_may_have_parameters_and_any_header_case():
    first = b"content-TYPE:Application/JSON; charset=UTF-8\r\n\r\n" + STATEMENTS
    assert parse(QUOTED, document(first))[0] == STATEMENTS


def test_header_names_are_case_insensitive():
    raw = (b"content-type: text/plain\r\ncontent-transfer-encoding: BINARY\r\n"
           b"x-experience-api-HASH: " + sha2(TEXT).upper().encode() + b"\r\n\r\n" + TEXT)
    assert parse(QUOTED, document(JSON_PART, raw))[1] == {
        sha2(TEXT): Part("text/plain", sha2(TEXT), TEXT)}


def test_folded_header_lines_continue_the_value():
    raw = (b"Content-Type: text/plain;\r\n charset=ascii\r\nContent-Transfer-Encoding: binary"
           b"\r\nX-Experience-API-Hash: " + sha2(TEXT).encode() + b"\r\n\r\n" + TEXT)
    found = parse(QUOTED, document(JSON_PART, raw))[1][sha2(TEXT)]
    assert found.content_type == "text/plain; charset=ascii"


def test_bare_lf_line_endings():
    first = b"Content-Type: application/json\n\n" + STATEMENTS
    body = document(first, attachment(TEXT, eol=b"\n"), eol=b"\n")
    assert parse(QUOTED, body) == (STATEMENTS, {sha2(TEXT): Part("text/plain", sha2(TEXT), TEXT)})


def test_binary_bodies_with_crlf_and_dashes_survive():
    tricky = [PNG, b"\r\n", b"--", b"\r\n--abc\r\n", b"--abcABC0123", b"\r\n\r\n", b""]
    body = document(JSON_PART, *(attachment(b, content_type="image/png") for b in tricky))
    parts = parse(QUOTED, body)[1]
    assert {p.body for p in parts.values()} == set(tricky)


def test_preamble_and_epilogue_are_ignored():
    body = document(JSON_PART, attachment(TEXT), preamble=b"This is a preamble.\r\n",
                    epilogue=b"an epilogue\r\n--abcABC0123'()+_,-./:=?\r\ngarbage")
    assert parse(QUOTED, body) == (STATEMENTS, {sha2(TEXT): Part("text/plain", sha2(TEXT), TEXT)})


def test_transport_padding_after_delimiters():
    body = document(JSON_PART, boundary="b").replace(b"--b\r\n", b"--b  \r\n")
    assert parse("multipart/mixed; boundary=b", body)[0] == STATEMENTS


def test_close_delimiter_may_end_the_body():
    body = document(JSON_PART, boundary="b").rstrip(b"\r\n")
    assert body.endswith(b"--b--")
    assert parse("multipart/mixed; boundary=b", body)[0] == STATEMENTS


def test_missing_content_type_defaults_to_octet_stream():
    raw = (b"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: "
           + sha2(TEXT).encode() + b"\r\n\r\n" + TEXT)
    assert parse(QUOTED, document(JSON_PART, raw))[1][sha2(TEXT)].content_type == \
        "application/octet-stream"


# --- parse: what is refused -------------------------------------------------------------------

def refused(header: str, body: bytes, words: str) -> None:
    with pytest.raises(MultipartError, match=words) as info:
        parse(header, body)
    assert isinstance(info.value, ValueError) and str(info.value)


@pytest.mark.parametrize("header, words", [
    ("application/json", "multipart/mixed"),
    ("multipart/form-data; boundary=b", "multipart/mixed"),
    ("multipart/mixed", "boundary"),
    ("multipart/mixed; boundary=", "boundary"),
    ('multipart/mixed; boundary=""', "boundary"),
    ("multipart/mixed; xboundary=b", "boundary"),
])
def test_bad_content_type(header, words):
    refused(header, document(JSON_PART, boundary="b"), words)


def test_hash_mismatch():
    refused(QUOTED, document(JSON_PART, attachment(TEXT, digest=sha2(b"other"))), "SHA-256")


def test_missing_hash_header():
    refused(QUOTED, document(JSON_PART, attachment(TEXT, digest="")), "X-Experience-API-Hash")


@pytest.mark.parametrize("encoding", [None, "base64", "8bit"])
def test_missing_or_wrong_transfer_encoding(encoding):
    refused(QUOTED, document(JSON_PART, attachment(TEXT, encoding=encoding)),
            "Content-Transfer-Encoding: binary")


@pytest.mark.parametrize("first", [
    b"Content-Type: text/plain\r\n\r\n" + STATEMENTS,
    b"X-Other: 1\r\n\r\n" + STATEMENTS,
    b"Content-Type: application/jsonx\r\n\r\n" + STATEMENTS,
])
def test_first_part_must_be_json(first):
    refused(QUOTED, document(first, attachment(TEXT)), "application/json")


def test_attachment_first_is_refused():
    refused(QUOTED, document(attachment(TEXT), JSON_PART), "application/json")


def test_missing_close_delimiter():
    body = document(JSON_PART, attachment(TEXT), boundary="b")
    refused("multipart/mixed; boundary=b", body[: -len(b"--\r\n")], "close delimiter")
    refused("multipart/mixed; boundary=b", body[:-10], "close delimiter")


def test_wrong_boundary_finds_nothing():
    refused("multipart/mixed; boundary=other", document(JSON_PART), "close delimiter")


def test_boundary_prefix_is_not_a_delimiter():
    body = document(JSON_PART, boundary="bb")
    refused("multipart/mixed; boundary=b", body, "close delimiter")


def test_no_part_at_all():
    refused("multipart/mixed; boundary=b", b"--b--\r\n", "no part")


def test_empty_part():
    refused("multipart/mixed; boundary=b", b"--b\r\n--b--\r\n", "empty part")


def test_part_without_blank_line():
    body = b"--b\r\nContent-Type: application/json\r\n--b--\r\n"
    refused("multipart/mixed; boundary=b", body, "blank line")


def test_malformed_header_line():
    body = b"--b\r\nContent-Type application/json\r\n\r\n{}\r\n--b--\r\n"
    refused("multipart/mixed; boundary=b", body, "Malformed")


# --- check_declared ---------------------------------------------------------------------------

def test_declared_and_sent_match():
    parts = {sha2(TEXT): part(TEXT), sha2(PNG): part(PNG)}
    check_declared([{"attachments": [declared(TEXT)]}, {"attachments": [declared(PNG)]}],
                   parts)


def test_no_attachments_anywhere():
    check_declared([{"id": "1"}, {"attachments": []}, {"attachments": None}], {})


def test_undeclared_part_is_refused():
    with pytest.raises(MultipartError, match="not declared") as info:
        check_declared([{"attachments": [declared(TEXT)]}],
                       {sha2(TEXT): part(TEXT), sha2(PNG): part(PNG)})
    assert sha2(PNG) in str(info.value)


def test_declared_but_missing_part_is_refused():
    with pytest.raises(MultipartError, match="No part was sent") as info:
        check_declared([{"attachments": [declared(TEXT), declared(PNG)]}],
                       {sha2(TEXT): part(TEXT)})
    assert sha2(PNG) in str(info.value)


def test_file_url_attachments_need_no_part():
    check_declared([{"attachments": [declared(PNG, fileUrl="http://example.com/a.png")]}], {})


def test_file_url_attachment_may_still_be_sent():
    check_declared([{"attachments": [declared(PNG, fileUrl="http://example.com/a.png")]}],
                   {sha2(PNG): part(PNG)})


def test_same_sha2_declared_with_and_without_file_url_needs_the_part():
    statements = [{"attachments": [declared(PNG, fileUrl="http://example.com/a.png")]},
                  {"attachments": [declared(PNG)]}]
    with pytest.raises(MultipartError, match="No part was sent"):
        check_declared(statements, {})


def test_declared_sha2_compares_case_insensitively():
    check_declared([{"attachments": [declared(TEXT, sha2=sha2(TEXT).upper())]}],
                   {sha2(TEXT): part(TEXT)})


def test_substatement_attachments_are_ignored():
    sub = {"objectType": "SubStatement", "attachments": [declared(PNG)]}
    check_declared([{"object": sub}], {})
    with pytest.raises(MultipartError, match="not declared"):
        check_declared([{"object": sub}], {sha2(PNG): part(PNG)})


def test_parse_then_check_declared_end_to_end():
    statements = [{"id": "1", "attachments": [declared(PNG)]}]
    content_type, body = build(json.dumps(statements).encode(), [part(PNG, "image/png")])
    raw, parts = parse(content_type, body)
    check_declared(json.loads(raw), parts)
