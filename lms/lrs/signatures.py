"""Signed statements (xAPI 1.0.3 Data §2.6; 2.0 the same): the JWS signature attachment.

A signed statement carries an attachment with usage type :data:`SIGNATURE_USAGE` whose part
is a JWS in compact serialization, signed with RS256, RS384 or RS512, whose payload is the
statement as it was before the signature was added. The LRS refuses (400) a signature that
is malformed, uses another algorithm, or whose payload is not the statement.

When the JWS header carries an ``x5c`` certificate chain (RFC 7515 §4.1.6: the signer's
certificate first, then each certificate followed by the one that certified it), the
signature must verify with the first certificate's RSA key, and every certificate must be
signed by the next one (a last certificate that names itself as issuer, by itself). The
specification asks for no trust anchor, so none is required: the chain is checked for being
one chain, not for ending at an authority the LRS trusts. Pure: no Flask.
"""

from __future__ import annotations

import base64
import json
from itertools import pairwise
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa
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
    if "x5c" in header:
        key = _signing_key(certificate_chain(header["x5c"])[0])
        try:
            jws.deserialize_compact(jws_bytes.strip(), key, algorithms=[algorithm],
                                    registry=REGISTRY)
        except (JoseError, ValueError):
            raise BadSignature("the signature does not verify with the key of its first x5c "
                               "certificate") from None


def certificate_chain(x5c: Any) -> list[x509.Certificate]:
    """The certificates of an ``x5c`` header, each checked to be signed by the next one.

    Raises BadSignature naming the certificate (1 is the signer's) that cannot be read or
    whose issuer did not sign it.
    """
    if not isinstance(x5c, list) or not x5c:
        raise BadSignature("the x5c header must be a non-empty array of certificates")
    certificates = []
    for n, value in enumerate(x5c, 1):
        try:
            der = base64.b64decode(value, validate=True)
            certificates.append(x509.load_der_x509_certificate(der))
        except (ValueError, TypeError):
            raise BadSignature(f"x5c certificate {n} is not a base64 DER X.509 "
                               "certificate") from None
    for n, (certificate, issuer) in enumerate(pairwise(certificates), 1):
        _check_issued(certificate, issuer, f"x5c certificate {n} is not signed by "
                                           f"certificate {n + 1}, the next in the chain")
    last = certificates[-1]
    if last.issuer == last.subject:
        _check_issued(last, last, f"x5c certificate {len(certificates)} names itself as "
                                  "issuer but its self-signature does not verify")
    return certificates


def _check_issued(certificate: x509.Certificate, issuer: x509.Certificate, problem: str) -> None:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError):
        # a signature that fails, an issuer name that is not the next subject, or a key or
        # signature algorithm that cannot have signed it
        raise BadSignature(problem) from None


def _signing_key(certificate: x509.Certificate) -> RSAKey:
    """The RSA key of the signer's certificate, which RS256, RS384 and RS512 need."""
    try:
        public = certificate.public_key()
    except ValueError:
        raise BadSignature("the key of the first x5c certificate cannot be read") from None
    if not isinstance(public, rsa.RSAPublicKey):
        raise BadSignature("the first x5c certificate's key is not an RSA key (RS256, RS384 "
                           "and RS512 need one)")
    return RSAKey.import_key(public)


def _same(payload: dict[str, Any], statement: dict[str, Any]) -> bool:
    """Compare as §2.6 asks: the statement before the signature (attachments aside; the
    properties the LRS sets, and an id or timestamp the payload leaves out, ignored)."""
    ours = {k: v for k, v in statement.items() if k != "attachments"}
    theirs = canonical_context({k: v for k, v in payload.items() if k != "attachments"})
    if "id" not in theirs:
        ours.pop("id", None)
    return same_statement(theirs, ours)
