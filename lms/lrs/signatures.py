"""Signed statements (xAPI 1.0.3 Data §2.6; 2.0 the same): the JWS signature attachment.

A signed statement carries an attachment with usage type :data:`SIGNATURE_USAGE` whose part
is a JWS in compact serialization, signed with RS256, RS384 or RS512, whose payload is the
statement as it was before the signature was added. The LRS refuses (400) a signature that
is malformed, uses another algorithm, whose payload is not the statement, or (when the JWS
header carries an ``x5c`` certificate chain) whose signature does not verify with the first
certificate's key. Pure: no Flask.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography import x509
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from lms.lrs.formats import canonical_context
from lms.xapi.index import same_statement

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
ALGORITHMS = ("RS256", "RS384", "RS512")


class _Registry(jws.JWSRegistry):
    """joserfc's registry with room for an ``x5c`` certificate chain in the header and a
    statement as payload (its defaults suit tokens, not signed statements)."""

    max_header_length = 64 * 1024
    max_payload_length = 8 * 1024 * 1024


REGISTRY = _Registry(algorithms=list(ALGORITHMS))


class BadSignature(ValueError):
    """The signature attachment breaks a rule of §2.6; ``str()`` says which."""


def signature_attachments(statement: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in statement.get("attachments") or []
            if isinstance(a, dict) and a.get("usageType") == SIGNATURE_USAGE]


def verify(statement: dict[str, Any], jws_bytes: bytes) -> None:
    """Raise BadSignature unless *jws_bytes* is a valid signature of *statement*."""
    try:
        compact = jws.extract_compact(jws_bytes.strip(), registry=REGISTRY)
    except (JoseError, ValueError, UnicodeDecodeError):
        raise BadSignature("the signature is not a JWS in compact serialization") from None
    header = compact.headers()
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise BadSignature(f"the signature uses {algorithm!r}; use RS256, RS384 or RS512")
    try:
        payload = json.loads(compact.payload)
    except (ValueError, UnicodeDecodeError):
        raise BadSignature("the signature's payload is not JSON") from None
    if not isinstance(payload, dict) or not _same(payload, statement):
        raise BadSignature("the signature's payload is not this statement")
    chain = header.get("x5c")
    if chain:
        key = _first_certificate_key(chain)
        try:
            jws.deserialize_compact(jws_bytes.strip(), key, algorithms=[algorithm],
                                   registry=REGISTRY)
        except (JoseError, ValueError):
            raise BadSignature("the signature does not verify with its x5c certificate") \
                from None


def _first_certificate_key(chain: Any) -> RSAKey:
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
        return RSAKey.import_key(certificate.public_key())
    except (ValueError, TypeError, IndexError, JoseError):
        raise BadSignature("the x5c certificate of the signature cannot be read") from None


def _same(payload: dict[str, Any], statement: dict[str, Any]) -> bool:
    """Compare as §2.6 asks: the statement before the signature (attachments aside; the
    properties the LRS sets, and an id or timestamp the payload leaves out, ignored)."""
    ours = {k: v for k, v in statement.items() if k != "attachments"}
    theirs = canonical_context({k: v for k, v in payload.items() if k != "attachments"})
    if "id" not in theirs:
        ours.pop("id", None)
    return same_statement(theirs, ours)
