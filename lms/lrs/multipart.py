"""xAPI 1.0.3 multipart/mixed bodies: statements with their attachments (pure)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any


class MultipartError(ValueError):
    """The body is not a valid xAPI multipart/mixed document; str() says why."""


@dataclass(frozen=True)
class Part:
    content_type: str
    sha2: str  #: the X-Experience-API-Hash header: lower-case hex SHA-256 of body
    body: bytes


def sha2(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _boundary(content_type: str) -> str:
    kind, _, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/mixed":
        raise MultipartError("The body must be multipart/mixed.")
    match = re.search(r'boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))', params, re.I)
    if not match:
        raise MultipartError("The multipart/mixed content type has no boundary.")
    return match.group(1) or match.group(2)


def _headers(block: bytes) -> dict[str, str]:
    headers = {}
    for line in re.split(rb"\r?\n", block):
        if line.strip():
            name, sep, value = line.decode("latin-1").partition(":")
            if not sep:
                raise MultipartError(f"Malformed part header: {line[:60]!r}")
            headers[name.strip().lower()] = value.strip()
    return headers


def parse(content_type_header: str, body: bytes) -> tuple[bytes, dict[str, Part]]:
    """Split a multipart/mixed body into the statement JSON and the attachment parts by sha2."""
    delimiter = b"--" + _boundary(content_type_header).encode("latin-1")
    chunks = re.split(rb"(?:\r?\n)?" + re.escape(delimiter), body)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise MultipartError("The multipart body has no closing boundary.")
    parts = []
    for chunk in chunks[1:-1]:
        chunk = re.sub(rb"^[ \t]*\r?\n", b"", chunk, count=1)
        blank = re.search(rb"\r?\n\r?\n", chunk)
        if blank is None:
            raise MultipartError("A part has no blank line after its headers.")
        head, content = chunk[:blank.start()], chunk[blank.end():]
        parts.append((_headers(head), content))
    if not parts:
        raise MultipartError("The multipart body is empty.")
    first_headers, statements = parts[0]
    if first_headers.get("content-type", "").split(";")[0].strip().lower() != \
            "application/json":
        raise MultipartError("The first part must be the statements as application/json.")
    found: dict[str, Part] = {}
    for headers, content in parts[1:]:
        digest = headers.get("x-experience-api-hash")
        if not digest:
            raise MultipartError("An attachment part has no X-Experience-API-Hash header.")
        if headers.get("content-transfer-encoding", "").lower() != "binary":
            raise MultipartError("An attachment part needs Content-Transfer-Encoding: binary.")
        if sha2(content) != digest.lower():
            raise MultipartError(f"The attachment {digest} does not match its hash.")
        found[digest.lower()] = Part(headers.get("content-type", "application/octet-stream"),
                                     digest.lower(), content)
    return statements, found


def check_declared(statements: list[dict[str, Any]], parts: dict[str, Part]) -> None:
    """Refuse undeclared parts and declared attachments (without fileUrl) that are missing."""
    declared = {a.get("sha2", "").lower(): a for s in statements
                for a in s.get("attachments", []) or []}
    for digest, attachment in declared.items():
        if "fileUrl" not in attachment and digest not in parts:
            raise MultipartError(f"The attachment {digest} is declared but not sent.")
    for digest in parts:
        if digest not in declared:
            raise MultipartError(f"The part {digest} is not declared by any statement.")


def build(statements_json: bytes, parts: list[Part], boundary: str | None = None
          ) -> tuple[str, bytes]:
    """Return the content type and body of a multipart/mixed response: JSON, then each part."""
    unique = {p.sha2: p for p in parts}
    while boundary is None or any(boundary.encode() in p.body for p in unique.values()) \
            or boundary.encode() in statements_json:
        boundary = "xapi-" + secrets.token_hex(16)
    out = [b"--" + boundary.encode() + b"\r\nContent-Type: application/json\r\n\r\n"
           + statements_json]
    for part in unique.values():
        out.append(b"\r\n--" + boundary.encode() + b"\r\n"
                   + f"Content-Type: {part.content_type}\r\nContent-Transfer-Encoding: binary"
                     f"\r\nX-Experience-API-Hash: {part.sha2}\r\n\r\n".encode() + part.body)
    out.append(b"\r\n--" + boundary.encode() + b"--\r\n")
    return f'multipart/mixed; boundary="{boundary}"', b"".join(out)
