"""Open Badges 3.0 credentials for certificates (pure: no Flask, no database).

A certificate (認定証) is also issued as an ``OpenBadgeCredential`` — a W3C Verifiable Credential
(data model 2.0) secured as a VC-JWT (Open Badges 3.0 §8.2): the JWT payload *is* the
credential, with the registered claims ``iss``, ``jti``, ``nbf`` and ``exp`` taken from it.
Revocation is published in a Bitstring Status List (W3C), one bit per credential.
"""

from __future__ import annotations

import base64
import enum
import gzip
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
#: bits in one status list: the specification's minimum (16 KB), which also hides who is revoked
STATUS_LIST_BITS = 131_072

ISSUER_NAME = "出入国在留管理庁（Immigration Services Agency of Japan）"
ACHIEVEMENT_NAME = "外国人支援コーディネーター認定"
ACHIEVEMENT_DESCRIPTION = (
    "外国人支援コーディネーター養成研修を修了し、認定審査委員会の審査を経て出入国在留管理庁が"
    "外国人支援コーディネーターとして認定したことを示します。 / Certified as a Foreign Resident "
    "Support Coordinator by the Immigration Services Agency of Japan after completing the "
    "coordinator training programme and the certification committee's review."
)
ACHIEVEMENT_CRITERIA = (
    "養成課程①（オンライン研修・確認テスト）、実践（取組目標・取組状況報告・課題レポート）、"
    "養成課程②（集合研修）及び修了認定テストを修了し、欠格事由に該当しないこと"
    "（外国人支援コーディネーター養成研修実施要綱 第5・第6）。 / Completed course 1 (online "
    "lectures and tests), the practice stage (goal, progress report, final report), course 2 "
    "(in-person training) and the certification test, with no ground for disqualification "
    "(implementation guideline §5–§6)."
)


@dataclass(frozen=True)
class CredentialFacts:
    """What a credential states about one certificate."""

    credential_id: str  #: ``urn:uuid:…``
    certificate_number: str
    holder_email: str
    certified_on: date  #: validFrom (start of the day, Tokyo)
    valid_until: date  #: validUntil (end of the day, Tokyo)
    status_index: int
    salt: str


@dataclass(frozen=True)
class Issuer:
    """The issuer's identifiers, all under the LMS's public base URL."""

    did: str  #: did:web identifier of the issuer
    url: str  #: the LMS's public base URL
    achievement_id: str
    status_list_url: str


def did_web(base_url: str) -> str:
    """Return the ``did:web`` identifier of *base_url* (port %-encoded, path segments as ':')."""
    rest = base_url.split("://", 1)[1].rstrip("/")
    host, _, path = rest.partition("/")
    did = "did:web:" + host.replace(":", "%3A")
    if path:
        did += ":" + ":".join(path.split("/"))
    return did


def identity_hash(email: str, salt: str) -> str:
    """Return the Open Badges identity hash of an e-mail address (``sha256$`` + hex)."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return "sha256$" + digest


def _start_of_day(day: date) -> str:
    return datetime.combine(day, time(0, 0), TOKYO).isoformat()


def _end_of_day(day: date) -> str:
    return datetime.combine(day, time(23, 59, 59), TOKYO).isoformat()


def credential(facts: CredentialFacts, issuer: Issuer) -> dict:
    """Return the OpenBadgeCredential for *facts* as the JWT payload (claims included)."""
    valid_from = _start_of_day(facts.certified_on)
    valid_until = _end_of_day(facts.valid_until)
    body = {
        "@context": CONTEXTS,
        "id": facts.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{ACHIEVEMENT_NAME}（{facts.certificate_number}）",
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": ISSUER_NAME,
                   "url": issuer.url},
        "validFrom": valid_from,
        "validUntil": valid_until,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": identity_hash(facts.holder_email, facts.salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": facts.salt,
            }],
            "achievement": {
                "id": issuer.achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": ACHIEVEMENT_NAME,
                "description": ACHIEVEMENT_DESCRIPTION,
                "criteria": {"narrative": ACHIEVEMENT_CRITERIA},
                "inLanguage": "ja",
            },
        },
        "credentialStatus": {
            "id": f"{issuer.status_list_url}#{facts.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(facts.status_index),
            "statusListCredential": issuer.status_list_url,
        },
    }
    return body | {
        "iss": issuer.did,
        "jti": facts.credential_id,
        "nbf": _epoch(datetime.fromisoformat(valid_from)),
        "exp": _epoch(datetime.fromisoformat(valid_until)),
    }


def status_list_credential(issuer: Issuer, revoked: set[int], now: datetime,
                           ttl: timedelta) -> dict:
    """Return the BitstringStatusListCredential payload with the *revoked* indexes set."""
    return {
        "@context": [CONTEXTS[0]],
        "id": issuer.status_list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did,
        "validFrom": now.astimezone(UTC).isoformat(timespec="seconds"),
        "validUntil": (now + ttl).astimezone(UTC).isoformat(timespec="seconds"),
        "credentialSubject": {
            "id": issuer.status_list_url + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(revoked),
        },
        "iss": issuer.did,
        "nbf": _epoch(now),
        "exp": _epoch(now + ttl),
    }


def encode_bits(indexes: set[int], size: int = STATUS_LIST_BITS) -> str:
    """Encode set bits as the spec does: GZIP, then multibase base64url (prefix ``u``, no pad).

    Bit 0 is the left-most (most significant) bit of the first byte.
    """
    data = bytearray(size // 8)
    for index in indexes:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside the list")
        data[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(data), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def bit_is_set(encoded: str, index: int) -> bool:
    """Read bit *index* of an ``encodedList``; ValueError when it is malformed or too short."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    raw = encoded[1:]
    data = gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    if index < 0 or index // 8 >= len(data):
        raise ValueError("status index outside the list")
    return bool(data[index // 8] & (0x80 >> (index % 8)))


class Status(enum.StrEnum):
    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    #: the status list could not be read or checked: never reported as valid
    UNKNOWN = "unknown"
    INVALID = "invalid"  #: signature or structure does not verify


def status(*, signature_ok: bool, now: datetime, valid_from: datetime | None,
           valid_until: datetime | None, revoked: bool | None) -> Status:
    """Decide a credential's status; *revoked* is None when the status list was unreadable."""
    if not signature_ok:
        return Status.INVALID
    if revoked:
        return Status.REVOKED
    if valid_from and now < valid_from:
        return Status.NOT_YET_VALID
    if valid_until and now > valid_until:
        return Status.EXPIRED
    if revoked is None:
        return Status.UNKNOWN
    return Status.VALID


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())
