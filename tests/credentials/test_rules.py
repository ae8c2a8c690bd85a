"""Open Badges 3.0 rules without an app: identifiers, the status list, status decisions."""

from datetime import UTC, date, datetime, timedelta

import pytest

from lms.credentials import baking, rules

ISSUER = rules.Issuer(did="did:web:lms.test", url="http://lms.test/",
                      achievement_id="http://lms.test/credentials/achievement",
                      status_list_url="http://lms.test/credentials/status/0")
FACTS = rules.CredentialFacts(
    credential_id="urn:uuid:2f1c1f0e-8d7e-4d0b-9d55-1d1f3b6e0a11", certificate_number="2025-0001-7",
    holder_email="Hanako@Example.jp", certified_on=date(2025, 3, 28),
    valid_until=date(2028, 3, 31), status_index=42, salt="a1b2")


@pytest.mark.parametrize("base, did", [
    ("https://lms.example.go.jp", "did:web:lms.example.go.jp"),
    ("http://127.0.0.1:5000/", "did:web:127.0.0.1%3A5000"),
    ("https://portal.example/lms", "did:web:portal.example:lms"),
])
def test_did_web_of_base_url(base, did):
    assert rules.did_web(base) == did


def test_identity_hash_is_salted_and_ignores_case_and_spaces():
    assert rules.identity_hash(" hanako@example.jp ", "a1b2") == rules.identity_hash(
        "HANAKO@example.jp", "a1b2")
    assert rules.identity_hash("hanako@example.jp", "a1b2") != rules.identity_hash(
        "hanako@example.jp", "other")
    assert rules.identity_hash("x@y.z", "s").startswith("sha256$")


def test_credential_states_dates_in_tokyo_and_never_the_address():
    payload = rules.credential(FACTS, ISSUER)
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert payload["validFrom"] == "2025-03-28T00:00:00+09:00"
    assert payload["validUntil"] == "2028-03-31T23:59:59+09:00"
    assert payload["iss"] == payload["issuer"]["id"] == "did:web:lms.test"
    assert payload["jti"] == payload["id"]
    assert payload["nbf"] == int(datetime(2025, 3, 27, 15, tzinfo=UTC).timestamp())
    assert payload["exp"] == int(datetime(2028, 3, 31, 14, 59, 59, tzinfo=UTC).timestamp())
    status = payload["credentialStatus"]
    assert status["statusListIndex"] == "42" and status["statusPurpose"] == "revocation"
    assert "hanako" not in str(payload).lower()


def test_status_list_bits_round_trip_left_to_right():
    encoded = rules.encode_bits({0, 9, rules.STATUS_LIST_BITS - 1})
    assert encoded.startswith("u")
    assert rules.bit_is_set(encoded, 0) and rules.bit_is_set(encoded, 9)
    assert rules.bit_is_set(encoded, rules.STATUS_LIST_BITS - 1)
    assert not rules.bit_is_set(encoded, 1) and not rules.bit_is_set(encoded, 8)
    with pytest.raises(ValueError):
        rules.bit_is_set(encoded, rules.STATUS_LIST_BITS)
    with pytest.raises(ValueError):
        rules.encode_bits({rules.STATUS_LIST_BITS})


NOW = datetime(2026, 11, 30, 3, tzinfo=UTC)
FROM, UNTIL = NOW - timedelta(days=400), NOW + timedelta(days=400)


@pytest.mark.parametrize("kwargs, expected", [
    ({"revoked": False}, rules.Status.VALID),
    ({"revoked": True}, rules.Status.REVOKED),
    ({"revoked": None}, rules.Status.UNKNOWN),
    ({"revoked": False, "valid_until": NOW - timedelta(seconds=1)}, rules.Status.EXPIRED),
    ({"revoked": True, "valid_until": NOW - timedelta(days=1)}, rules.Status.REVOKED),
    ({"revoked": False, "valid_from": NOW + timedelta(days=1)}, rules.Status.NOT_YET_VALID),
    ({"revoked": False, "signature_ok": False}, rules.Status.INVALID),
])
def test_status_is_never_valid_by_default(kwargs, expected):
    args = {"signature_ok": True, "now": NOW, "valid_from": FROM, "valid_until": UNTIL} | kwargs
    assert rules.status(**args) == expected


def test_baked_png_carries_the_token_once():
    image = baking.badge_image()
    assert baking.unbake(image) is None
    baked = baking.bake(image, "a.b.c")
    assert baking.unbake(baked) == "a.b.c"
    rebaked = baking.bake(baked, "d.e.f")
    assert baking.unbake(rebaked) == "d.e.f"
    assert rebaked.count(b"openbadgecredential") == 1
    assert baking.unbake(b"\x89PNG not really") is None
