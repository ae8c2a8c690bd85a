"""xAPI 1.0.3 multipart/mixed bodies: statements with their attachments (pure, no Flask).

See xAPI 1.0.3 Communication §1.5.2 (Attachments) and Data §2.4.11: the first part is the
statement JSON; every further part is one attachment, sent with
``Content-Transfer-Encoding: binary`` and an ``X-Experience-API-Hash`` header holding the
SHA-256 of its body, which must match the ``sha2`` of an attachment declared in a statement.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_LINE_END = re.compile(rb"\r?\n")
_BOUNDARY_PARAM = re.compile(r'(?:^|;)\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]*))', re.I)


class MultipartError(ValueError):
    """The request body is not a valid xAPI multipart/mixed document; str() says why."""


@dataclass(frozen=True)
class Part:
    """One attachment part: its media type, its SHA-256 (lower-case hex) and its raw bytes."""

    content_type: str
    sha2: str  #: the X-Experience-API-Hash header: lower-case hex SHA-256 of ``body``
    body: bytes


def sha2(data: bytes) -> str:
    """Return the lower-case hex SHA-256 of *data*, as xAPI's ``sha2`` and hash header use."""
    return hashlib.sha256(data).hexdigest()


def _boundary(content_type: str) -> str:
    """Return the boundary of a ``multipart/mixed`` content type, or raise MultipartError."""
    kind, _, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/mixed":
        raise MultipartError(f"The content type must be multipart/mixed, not {kind.strip()!r}.")
    match = _BOUNDARY_PARAM.search(params)
    boundary = match and (match.group(1) if match.group(1) is not None else match.group(2))
    if not boundary:
        raise MultipartError("The multipart/mixed content type has no boundary parameter.")
    return boundary


def _delimiters(boundary: str) -> re.Pattern[bytes]:
    """Match a delimiter line (group 1 set on the close delimiter) at the start of a line."""
    dash = re.escape(b"--" + boundary.encode("latin-1"))
    return re.compile(rb"(?:\A|\r?\n)" + dash + rb"(--)?[ \t]*(?=\r?\n|\Z)")


def _headers(block: bytes) -> dict[str, str]:
    """Return a part's headers by lower-case name; folded (indented) lines continue a value."""
    headers: dict[str, str] = {}
    name = ""
    for line in _LINE_END.split(block):
        text = line.decode("latin-1")
        if text[:1] in (" ", "\t") and name:
            headers[name] += " " + text.strip()
            continue
        name, sep, value = text.partition(":")
        name = name.strip().lower()
        if not sep or not name:
            raise MultipartError(f"Malformed part header line: {text[:80]!r}.")
        headers[name] = value.strip()
    return headers


def _split(chunk: bytes) -> tuple[dict[str, str], bytes]:
    """Return the headers and the body of one part (the text between two delimiters)."""
    if (end := _LINE_END.match(chunk)) is None:  # the line end of the delimiter line
        raise MultipartError("A part ends before it begins: an empty part or a cut body.")
    chunk = chunk[end.end():]
    if (start := _LINE_END.match(chunk)) is not None:  # no headers at all
        return {}, chunk[start.end():]
    blank = _BLANK_LINE.search(chunk)
    if blank is None:
        raise MultipartError("A part has no blank line between its headers and its body.")
    return _headers(chunk[:blank.start()]), chunk[blank.end():]


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def parse(content_type_header: str, body: bytes) -> tuple[bytes, dict[str, Part]]:
    """Split a multipart/mixed request body into the statement JSON and its parts by sha2.

    Raises MultipartError when the document breaks the xAPI 1.0.3 rules: no boundary, no close
    delimiter, a first part that is not application/json, or an attachment part without
    ``X-Experience-API-Hash``, without ``Content-Transfer-Encoding: binary`` or whose body does
    not hash to its header. The preamble and epilogue are ignored; CRLF and bare LF both end
    lines.
    """
    chunks: list[bytes] = []
    start: int | None = None
    for match in _delimiters(_boundary(content_type_header)).finditer(body):
        if start is not None:
            chunks.append(body[start:match.start()])
        start = match.end()
        if match.group(1):
            break
    else:
        raise MultipartError("The multipart body has no close delimiter (--boundary--).")
    if not chunks:
        raise MultipartError("The multipart body holds no part.")
    first_headers, statements = _split(chunks[0])
    if _media_type(first_headers.get("content-type", "")) != "application/json":
        raise MultipartError("The first part must be the statements, as application/json.")
    found: dict[str, Part] = {}
    for number, chunk in enumerate(chunks[1:], start=2):
        headers, content = _split(chunk)
        digest = headers.get("x-experience-api-hash", "").lower()
        if not digest:
            raise MultipartError(f"Part {number} has no X-Experience-API-Hash header.")
        if headers.get("content-transfer-encoding", "").lower() != "binary":
            raise MultipartError(f"Part {number} needs Content-Transfer-Encoding: binary.")
        if sha2(content) != digest:
            raise MultipartError(f"Part {number}: its body does not have the SHA-256 {digest} "
                                 "given in its X-Experience-API-Hash header.")
        content_type = headers.get("content-type", "application/octet-stream")
        found[digest] = Part(content_type, digest, content)
    return statements, found


def check_declared(statements: list[dict[str, Any]], parts: dict[str, Part]) -> None:
    """Raise MultipartError unless parts and the statements' attachments match one to one.

    Every attachment declared without a ``fileUrl`` needs a part with its sha2, and every part
    must be declared by some statement (xAPI 1.0.3: the LRS answers 400 to both). Only the
    statements' own ``attachments`` count: SubStatements cannot carry attachments.
    """
    declared: set[str] = set()
    needed: set[str] = set()
    for statement in statements:
        if not isinstance(statement, dict):
            continue
        for attachment in statement.get("attachments") or []:
            if isinstance(attachment, dict):
                digest = str(attachment.get("sha2", "")).lower()
                declared.add(digest)
                if not attachment.get("fileUrl"):
                    needed.add(digest)
    if missing := sorted(needed - {d.lower() for d in parts}):
        raise MultipartError("No part was sent for the declared attachment(s) with sha2 "
                             + ", ".join(missing) + " (and they have no fileUrl).")
    if extra := sorted({d.lower() for d in parts} - declared):
        raise MultipartError("The part(s) with hash " + ", ".join(extra)
                             + " are not declared as an attachment by any statement.")


def _header(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError(f"A header value cannot hold a line break: {value!r}")
    return value


def build(statements_json: bytes, parts: list[Part], boundary: str | None = None
          ) -> tuple[str, bytes]:
    """Return (content type, body) of a multipart/mixed response: the JSON, then each part once.

    Parts are deduplicated by sha2 and each carries Content-Type, Content-Transfer-Encoding:
    binary and X-Experience-API-Hash. Without *boundary* a random one is chosen that occurs in
    no body; a given *boundary* that occurs in a body raises ValueError.
    """
    unique: dict[str, Part] = {}
    for part in parts:
        unique.setdefault(part.sha2.lower(), part)
    bodies = [statements_json, *(p.body for p in unique.values())]

    def clashes(candidate: str) -> bool:
        return any(candidate.encode("latin-1") in b for b in bodies)

    if boundary is None:
        boundary = "xapi-" + secrets.token_hex(16)
        while clashes(boundary):
            boundary = "xapi-" + secrets.token_hex(16)
    elif not boundary or clashes(_header(boundary)) or '"' in boundary:
        raise ValueError(f"The boundary {boundary!r} is empty, quoted or occurs in a body.")
    dash = b"--" + boundary.encode("latin-1")
    out = [dash, b"\r\nContent-Type: application/json\r\n\r\n", statements_json]
    for digest, part in unique.items():
        head = (f"Content-Type: {_header(part.content_type)}\r\n"
                f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {_header(digest)}")
        out += [b"\r\n", dash, b"\r\n", head.encode("latin-1"), b"\r\n\r\n", part.body]
    out += [b"\r\n", dash, b"--\r\n"]
    return f'multipart/mixed; boundary="{boundary}"', b"".join(out)
