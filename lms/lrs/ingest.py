"""Statements PUT/POST: validate, complete (id, stored, authority), detect conflicts, store."""

from __future__ import annotations

import io
import uuid
from typing import IO, Any, Protocol

import ijson
from flask import current_app
from sqlalchemy import select

from lms.extensions import db
from lms.lrs import formats, multipart, signatures, validation
from lms.lrs.models import LrsClient
from lms.lrs.protocol import LrsError, is_version_2, negotiated_version
from lms.timeutil import utcnow
from lms.xapi import index, store
from lms.xapi.models import Statement, StatementAttachment


def client_authority(client: LrsClient) -> dict[str, Any]:
    """The agent that vouches for what *client* posts (xAPI: the LRS sets ``authority``)."""
    return {"objectType": "Agent", "name": client.name,
            "account": {"homePage": current_app.config["BASE_URL"].rstrip("/") + "/xapi/clients",
                        "name": client.key}}


def read_body(content_type: str, stream: IO[bytes], limit: int
              ) -> tuple[Any, dict[str, multipart.Part]]:
    """Return the JSON document of a request and its attachment parts (multipart/mixed).

    JSON is parsed as it is read, so a batch of more than *limit* statements is refused (413)
    without reading the rest, and nesting deeper than :data:`MAX_DEPTH` is refused (400).
    """
    parts: dict[str, multipart.Part] = {}
    if content_type.lower().startswith("multipart/mixed"):
        try:
            body, parts = multipart.parse(content_type, stream.read())
        except multipart.MultipartError as exc:
            raise LrsError(400, str(exc)) from None
        stream = io.BytesIO(body)
    elif not content_type.lower().startswith("application/json"):
        raise LrsError(400, "Send statements as application/json or multipart/mixed.")
    try:
        return parse_statements(_Reader(stream), limit), parts
    except (ijson.JSONError, ValueError, UnicodeDecodeError):
        raise LrsError(400, "The request body is not valid JSON.") from None


MAX_DEPTH = 32


class Readable(Protocol):
    """What ijson reads from: ``read(size)`` returning bytes."""

    def read(self, size: int = -1, /) -> bytes: ...


class _Reader:
    """A request stream for ijson, which probes with ``read(0)``: Werkzeug's limited stream
    takes a read of nothing for a client that went away."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size) if size else b""


def parse_statements(stream: Readable, limit: int) -> Any:
    """Parse a statement or an array of statements from *stream*, one statement at a time."""
    batch: list[Any] | None = None
    builder, depth, first = ijson.ObjectBuilder(), 0, True
    for _prefix, event, value in ijson.parse(stream, buf_size=4096, use_float=True):
        if event in ("start_map", "start_array"):
            depth += 1
            if depth > MAX_DEPTH:
                raise LrsError(400, f"The JSON is nested more than {MAX_DEPTH} levels deep.")
        elif event in ("end_map", "end_array"):
            depth -= 1
        if first and event == "start_array":
            first, batch = False, []
            continue
        first = False
        if batch is not None and depth == 0:  # the batch's closing bracket
            continue
        builder.event(event, value)
        if batch is not None and depth == 1:  # one element of the batch is complete
            batch.append(builder.value)
            builder = ijson.ObjectBuilder()
            if len(batch) > limit:
                raise LrsError(413, f"At most {limit} statements may be sent in one request.")
    if first:
        raise ValueError("The body is empty.")
    return batch if batch is not None else builder.value


def _check(raw: Any, position: str) -> None:
    try:
        validation.check(raw, negotiated_version())
    except validation.Invalid as exc:
        raise LrsError(400, f"{position}: {exc}") from None


def complete(raw: dict[str, Any], client: LrsClient, stored: str) -> dict[str, Any]:
    """Return *raw* with the properties the LRS sets: id, stored, timestamp, authority, version."""
    statement = formats.canonical_context(dict(raw))
    statement["id"] = str(uuid.UUID(str(raw["id"]))) if "id" in raw else str(uuid.uuid4())
    statement["stored"] = stored
    statement.setdefault("timestamp", stored)
    statement["authority"] = client_authority(client)
    statement.setdefault("version", "2.0.0" if is_version_2() else "1.0.0")
    return statement


def ingest(raws: list[Any], client: LrsClient, parts: dict[str, multipart.Part],
           put_id: str | None = None) -> list[str]:
    """Store a batch atomically and return every statement id in request order.

    One invalid statement refuses the whole batch (400); an id already stored with a
    different statement is a conflict (409); an identical re-send is accepted and not stored
    twice.
    """
    stored = utcnow().isoformat()
    statements = []
    for i, raw in enumerate(raws):
        _check(raw, f"statement {i}" if put_id is None else "statement")
        if put_id is not None and "id" not in raw:  # PUT: the parameter gives the id
            raws[i] = raw = {**raw, "id": put_id}
        statements.append(complete(raw, client, stored))
    if put_id is not None and statements[0]["id"] != put_id:
        raise LrsError(400, "The statement's id differs from the statementId parameter.")
    ids = [s["id"] for s in statements]
    if len(set(ids)) != len(ids):
        raise LrsError(400, "The batch holds two statements with the same id.")
    _check_attachments(statements, parts)
    _check_signatures(raws, statements, parts)
    _check_voiding(statements, client)
    known = store.existing(ids)
    for raw, s in zip(raws, statements, strict=True):
        # compare what the client sent: a timestamp it left out was set by the LRS
        sent = formats.canonical_context({**raw, "id": s["id"]})
        if s["id"] in known and not index.same_statement(sent, known[s["id"]].payload):
            raise LrsError(409, f"A different statement with id {s['id']} is already stored.")
    new = [s for s in statements if s["id"] not in known]
    store.save(new, source=client.key)
    _save_parts(parts)
    return ids


def _check_attachments(statements: list[dict[str, Any]], parts: dict[str, multipart.Part]):
    try:
        multipart.check_declared(statements, parts)
    except multipart.MultipartError as exc:
        raise LrsError(400, str(exc)) from None


def _check_signatures(raws: list[dict[str, Any]], statements: list[dict[str, Any]],
                      parts: dict[str, multipart.Part]) -> None:
    """Verify every JWS signature attachment against the statement as sent (§2.6)."""
    for i, (raw, statement) in enumerate(zip(raws, statements, strict=True)):
        for attachment in signatures.signature_attachments(statement):
            if attachment.get("contentType") != "application/octet-stream":
                raise LrsError(400, f"statement {i}: a signature attachment's contentType "
                                    "must be application/octet-stream.")
            part = parts.get(str(attachment.get("sha2", "")).lower())
            if part is None:
                raise LrsError(400, f"statement {i}: the signature must be sent as a part.")
            sent = formats.canonical_context({**raw, "id": statement["id"]})
            try:
                signatures.verify(sent, part.body)
            except signatures.BadSignature as exc:
                raise LrsError(400, f"statement {i}: {exc}.") from None


def _check_voiding(statements: list[dict[str, Any]], client: LrsClient) -> None:
    """A voiding statement may not target a voiding statement (xAPI 1.0.3 §2.3.2), nor a
    statement another sender stored (403: a client voids only what it authored)."""
    for s in statements:
        if s["verb"]["id"] == index.VOIDED_VERB and not index.is_voiding(s):
            raise LrsError(400, "A voiding statement's object must be a StatementRef.")
    targets = {index.ref_target(s) for s in statements if index.is_voiding(s)}
    if not targets:
        return
    foreign = db.session.scalars(select(Statement.statement_id).where(
        Statement.statement_id.in_(targets), Statement.source != client.key)).all()
    if foreign:
        raise LrsError(403, f"Statement {sorted(foreign)[0]} was not sent with these "
                            "credentials: a client may void only its own statements.")
    voiding_in_batch = {s["id"] for s in statements if index.is_voiding(s)}
    stored_voiding = set(db.session.scalars(select(Statement.statement_id).where(
        Statement.statement_id.in_(targets), Statement.verb_id == index.VOIDED_VERB)))
    if targets & (voiding_in_batch | stored_voiding):
        raise LrsError(400, "A voiding statement cannot void another voiding statement.")


def _save_parts(parts: dict[str, multipart.Part]) -> None:
    if not parts:
        return
    have = set(db.session.scalars(select(StatementAttachment.sha2).where(
        StatementAttachment.sha2.in_(list(parts)))))
    for sha2, part in parts.items():
        if sha2 not in have:
            db.session.add(StatementAttachment(sha2=sha2, content_type=part.content_type,
                                               content=part.body))
    db.session.flush()
