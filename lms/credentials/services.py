"""Issue, revoke and verify Open Badges 3.0 credentials (services flush; callers commit)."""

from __future__ import annotations

import json
import secrets
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from joserfc import jws, jwt
from joserfc.errors import JoseError
from sqlalchemy import select

from lms.credentials import rules
from lms.credentials.keys import ALGORITHM, KeyStore
from lms.credentials.models import BadgeCredential
from lms.errors import UserError
from lms.extensions import db
from lms.timeutil import utcnow

#: how long a verifier may cache the published status list
STATUS_LIST_TTL = timedelta(hours=1)


def keystore() -> KeyStore:
    return KeyStore(current_app.config["CREDENTIAL_KEY_DIR"])


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def status_list_url(number: int) -> str:
    return f"{base_url()}/credentials/status/{number}"


def issuer(list_number: int = 0) -> rules.Issuer:
    return rules.Issuer(did=rules.did_web(base_url()), url=base_url() + "/",
                        achievement_id=f"{base_url()}/credentials/achievement",
                        status_list_url=status_list_url(list_number))


def _sign(payload: dict) -> tuple[str, str]:
    key = keystore().ensure()  # `make run` creates it; the first issue does otherwise
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": f"{rules.did_web(base_url())}#{key.kid}"}
    return jwt.encode(header, payload, key), key.kid or ""


def issue(certificate) -> BadgeCredential:
    """Sign and store the credential of *certificate* (an ``lms.certificates`` Certificate)."""
    existing = db.session.scalar(select(BadgeCredential)
                                 .where(BadgeCredential.certificate_id == certificate.id))
    if existing is not None:
        return existing
    list_number, index = divmod(certificate.id, rules.STATUS_LIST_BITS)
    facts = rules.CredentialFacts(
        credential_id=f"urn:uuid:{uuid.uuid4()}", certificate_number=certificate.number,
        holder_email=certificate.user.email, certified_on=certificate.certified_on,
        valid_until=certificate.valid_until, status_index=index,
        salt=secrets.token_hex(8))
    token, kid = _sign(rules.credential(facts, issuer(list_number)))
    row = BadgeCredential(certificate_id=certificate.id, credential_id=facts.credential_id,
                          kid=kid, token=token)
    db.session.add(row)
    db.session.flush()
    return row


def revoke(certificate_id: int) -> None:
    """Set the status bit of a certificate's credential (revoked or superseded certificate)."""
    row = db.session.scalar(select(BadgeCredential)
                            .where(BadgeCredential.certificate_id == certificate_id))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.flush()


def revoked_indexes(list_number: int) -> set[int]:
    low = list_number * rules.STATUS_LIST_BITS
    ids = db.session.scalars(
        select(BadgeCredential.certificate_id).where(
            BadgeCredential.revoked_at.is_not(None),
            BadgeCredential.certificate_id >= low,
            BadgeCredential.certificate_id < low + rules.STATUS_LIST_BITS)).all()
    return {i - low for i in ids}


def status_list_token(list_number: int, now: datetime | None = None) -> str:
    """The signed BitstringStatusListCredential of list *list_number*, as a VC-JWT."""
    payload = rules.status_list_credential(issuer(list_number), revoked_indexes(list_number),
                                           now or utcnow(), STATUS_LIST_TTL)
    return _sign(payload)[0]


def did_document() -> dict:
    did = rules.did_web(base_url())
    methods = [{"id": f"{did}#{k['kid']}", "type": "JsonWebKey2020", "controller": did,
                "publicKeyJwk": k} for k in keystore().public_jwks()["keys"]]
    ids = [m["id"] for m in methods]
    return {"@context": ["https://www.w3.org/ns/did/v1",
                         "https://w3id.org/security/suites/jws-2020/v1"],
            "id": did, "verificationMethod": methods, "assertionMethod": ids,
            "authentication": ids}


# --- verification -------------------------------------------------------------------------

#: an EnvelopedVerifiableCredential (VC data model 2.0 §4.13) carries the VC-JWT in its id
ENVELOPE_PREFIX = "data:application/vc+jwt,"


def enveloped(token: str) -> dict:
    """The JSON form of a VC-JWT that holders download and wallets import."""
    return {"@context": rules.CONTEXTS[0], "id": ENVELOPE_PREFIX + token,
            "type": "EnvelopedVerifiableCredential"}


class CredentialFormatError(UserError, ValueError):
    """The input holds no credential this verifier can read."""


@dataclass
class Verification:
    status: rules.Status
    signature_ok: bool = False
    issuer_name: str = ""
    issuer_id: str = ""
    achievement: str = ""
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    #: None when no e-mail address was given to compare
    holder_match: bool | None = None
    problems: list[str] = field(default_factory=list)


def extract_token(data: bytes | str) -> str:
    """Return the VC-JWT in *data*: a compact JWT, JSON holding one, or a baked PNG."""
    from lms.credentials.baking import unbake

    if isinstance(data, bytes):
        if data.startswith(b"\x89PNG"):
            token = unbake(data)
            if token is None:
                raise CredentialFormatError("the image carries no credential")
            return token.strip()
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CredentialFormatError("not text, JSON or a PNG badge") from exc
    text = data.strip()
    if text.startswith("{"):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CredentialFormatError("invalid JSON") from exc
        envelope = obj.get("id") if isinstance(obj, dict) else None
        if isinstance(envelope, str) and envelope.startswith(ENVELOPE_PREFIX):
            return envelope[len(ENVELOPE_PREFIX):]
        for key in ("jwt", "credential", "token", "proof"):
            value = obj.get(key) if isinstance(obj, dict) else None
            if isinstance(value, str) and value.count(".") == 2:
                return value
        raise CredentialFormatError("the JSON holds no VC-JWT")
    if text.count(".") != 2:
        raise CredentialFormatError("not a compact JWT")
    return text


def _decode(token: str):
    """Check the JWS with the issuer key its ``kid`` names (a DID URL ``did:web:…#<kid>``)."""
    header = jws.extract_compact(token.encode()).protected
    did, _, kid = str(header.get("kid", "")).rpartition("#")
    if did != rules.did_web(base_url()):
        raise ValueError("the key is not one of this issuer's")
    key = next((k for k in keystore().public_set().keys if k.kid == kid), None)
    if key is None:
        raise ValueError(f"unknown key {kid!r}")
    return jwt.decode(token, key, algorithms=[ALGORITHM])


def _parse_time(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def verify(data: bytes | str, email: str | None = None,
           now: datetime | None = None) -> Verification:
    """Check signature, issuer, holder, dates and revocation status of a credential.

    Never answers "valid" by default: a status list that cannot be read gives ``unknown``.
    """
    now = now or utcnow()
    try:
        token = extract_token(data)
    except CredentialFormatError as exc:
        return Verification(rules.Status.INVALID, problems=[str(exc)])
    try:
        decoded = _decode(token)
    except (JoseError, ValueError) as exc:
        return Verification(rules.Status.INVALID, problems=[f"signature: {exc}"])
    claims = decoded.claims
    result = Verification(rules.Status.INVALID, signature_ok=True)
    issuer_obj = claims.get("issuer") or {}
    result.issuer_id = issuer_obj.get("id", "") if isinstance(issuer_obj, dict) else issuer_obj
    result.issuer_name = issuer_obj.get("name", "") if isinstance(issuer_obj, dict) else ""
    if result.issuer_id != rules.did_web(base_url()) or claims.get("iss") != result.issuer_id:
        result.signature_ok = False
        result.problems.append("issuer is not this LMS")
        return result
    if "OpenBadgeCredential" not in (claims.get("type") or []):
        result.signature_ok = False
        result.problems.append("not an OpenBadgeCredential")
        return result
    subject = claims.get("credentialSubject") or {}
    result.achievement = (subject.get("achievement") or {}).get("name", "")
    result.valid_from = _parse_time(claims.get("validFrom"))
    result.valid_until = _parse_time(claims.get("validUntil"))
    if email:
        identities = subject.get("identifier") or []
        result.holder_match = any(
            i.get("identityHash") == rules.identity_hash(email, i.get("salt", ""))
            for i in identities if isinstance(i, dict))
    revoked = _revoked(claims.get("credentialStatus") or {}, result)
    result.status = rules.status(signature_ok=True, now=now, valid_from=result.valid_from,
                                 valid_until=result.valid_until, revoked=revoked)
    return result


def _revoked(entry: dict, result: Verification) -> bool | None:
    """Read the credential's bit from its status list; None when it cannot be read."""
    try:
        url = entry["statusListCredential"]
        index = int(entry["statusListIndex"])
        token = _fetch_status_list(url)
        listed = _decode(token).claims
        if listed.get("id") != url or listed.get("issuer") != rules.did_web(base_url()):
            raise ValueError("status list does not match the credential")
        expires = _parse_time(listed.get("validUntil"))
        if expires and expires < utcnow():
            raise ValueError("status list has expired")
        return rules.bit_is_set(listed["credentialSubject"]["encodedList"], index)
    except Exception as exc:  # noqa: BLE001 - any failure means "status unknown", never valid
        result.problems.append(f"status list unreadable: {exc}")
        return None


def _fetch_status_list(url: str) -> str:
    """The status list JWT at *url*: ours is read from the database, others over HTTP."""
    prefix = f"{base_url()}/credentials/status/"
    if url.startswith(prefix) and url[len(prefix):].isdigit():
        return status_list_token(int(url[len(prefix):]))
    if not url.startswith(("https://", "http://")):
        raise ValueError("unsupported status list URL")
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - scheme checked
        return response.read(1_000_000).decode("ascii").strip()
