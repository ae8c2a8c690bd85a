"""Open Badges 3.0 credentials issued with certificates: signature (checked by an independent
JOSE implementation), tampering, revocation, expiry, baking, the public routes and the CLI."""

import json
from datetime import UTC, date, datetime

import jwt as pyjwt
import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.certificates import services as certificates
from lms.certificates.models import Certificate, RevocationGround
from lms.certification.models import CertificationDecision
from lms.credentials import baking, rules, services
from lms.credentials.models import BadgeCredential
from lms.extensions import db
from lms.security import Role

TODAY = date(2025, 4, 10)
NOW = datetime(2025, 4, 10, 3, tzinfo=UTC)
EMAIL = "hanako@example.jp"


@pytest.fixture
def admin_id(make_user):
    return make_user("admin@example.jp", Role.ADMIN, name="事務局 管理者")


@pytest.fixture
def issued(app, certified, admin_id):
    """A certificate issued to 山田 花子 (certified 2025-03-28); returns its id and token."""
    _, decision_id = certified("山田 花子", date(2025, 3, 28), email=EMAIL)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        cert = certificates.issue(admin, db.session.get(CertificationDecision, decision_id),
                                  TODAY)
        db.session.commit()
        row = db.session.scalar(select(BadgeCredential)
                                .where(BadgeCredential.certificate_id == cert.id))
        return cert.id, row.token


def _independent_decode(app, token: str) -> dict:
    """Verify with PyJWT against the published JWK set (not the code that signed it)."""
    jwks = app.test_client().get("/.well-known/jwks.json").get_json()
    kid = pyjwt.get_unverified_header(token)["kid"].split("#")[-1]
    key = next(k for k in pyjwt.PyJWKSet.from_dict(jwks).keys if k.key_id == kid)
    return pyjwt.decode(token, key.key, algorithms=["RS256"],
                        options={"verify_exp": False, "verify_nbf": False})


def test_credential_verifies_with_an_independent_jose_implementation(app, issued):
    _, token = issued
    vc = _independent_decode(app, token)
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["validFrom"] == "2025-03-28T00:00:00+09:00"
    assert vc["validUntil"] == "2028-03-31T23:59:59+09:00"
    assert vc["credentialSubject"]["achievement"]["name"] == "外国人支援コーディネーター認定"
    assert vc["issuer"]["id"] == "did:web:lms.test" == vc["iss"]
    assert EMAIL not in json.dumps(vc)


def test_one_changed_character_of_the_payload_fails(app, issued):
    _, token = issued
    header, payload, signature = token.split(".")
    flipped = payload[:40] + ("A" if payload[40] != "A" else "B") + payload[41:]
    forged = f"{header}.{flipped}.{signature}"
    with pytest.raises(pyjwt.exceptions.InvalidTokenError):
        _independent_decode(app, forged)
    with app.app_context():
        result = services.verify(forged, now=NOW)
    assert result.status == rules.Status.INVALID and not result.signature_ok


def test_valid_then_revoked_when_the_certificate_is_revoked(app, issued, admin_id):
    cert_id, token = issued
    with app.app_context():
        result = services.verify(token, email="Hanako@example.jp", now=NOW)
        assert result.status == rules.Status.VALID, result.problems
        assert result.holder_match is True
        assert services.verify(token, email="other@example.jp", now=NOW).holder_match is False
        certificates.revoke(db.session.get(User, admin_id), db.session.get(Certificate, cert_id),
                            RevocationGround.OTHER, "テスト", TODAY)
        db.session.commit()
        assert services.verify(token, now=NOW).status == rules.Status.REVOKED


def test_reissue_supersedes_the_old_credential(app, issued, admin_id):
    cert_id, token = issued
    with app.app_context():
        new = certificates.reissue(db.session.get(User, admin_id),
                                   db.session.get(Certificate, cert_id), "氏名の変更", TODAY)
        db.session.commit()
        new_token = db.session.scalar(select(BadgeCredential.token)
                                      .where(BadgeCredential.certificate_id == new.id))
        assert services.verify(token, now=NOW).status == rules.Status.REVOKED
        assert services.verify(new_token, now=NOW).status == rules.Status.VALID


def test_expired_after_the_validity_end(app, issued):
    _, token = issued
    with app.app_context():
        last_second = datetime(2028, 3, 31, 14, 59, 59, tzinfo=UTC)
        assert services.verify(token, now=last_second).status == rules.Status.VALID
        after = datetime(2028, 3, 31, 15, 0, 0, tzinfo=UTC)
        assert services.verify(token, now=after).status == rules.Status.EXPIRED


def test_unreadable_status_list_is_unknown_never_valid(app, issued, monkeypatch):
    _, token = issued

    def broken(_url):
        raise OSError("connection refused")

    monkeypatch.setattr(services, "_fetch_status_list", broken)
    with app.app_context():
        result = services.verify(token, now=NOW)
    assert result.status == rules.Status.UNKNOWN
    assert any("status list unreadable" in p for p in result.problems)


def test_published_status_list_sets_exactly_the_revoked_bit(app, issued, admin_id):
    cert_id, token = issued
    client = app.test_client()
    entry = _independent_decode(app, token)["credentialStatus"]
    path = entry["statusListCredential"].removeprefix("http://lms.test")
    listed = _independent_decode(app, client.get(path).get_data(as_text=True))
    index = int(entry["statusListIndex"])
    assert not rules.bit_is_set(listed["credentialSubject"]["encodedList"], index)
    with app.app_context():
        certificates.revoke(db.session.get(User, admin_id), db.session.get(Certificate, cert_id),
                            RevocationGround.OTHER, "テスト", TODAY)
        db.session.commit()
    listed = _independent_decode(app, client.get(path).get_data(as_text=True))
    encoded = listed["credentialSubject"]["encodedList"]
    assert rules.bit_is_set(encoded, index)
    assert not rules.bit_is_set(encoded, index + 1)


def test_baked_badge_and_json_download_verify_and_belong_to_the_holder(app, issued, auth,
                                                                      client, make_user):
    cert_id, token = issued
    auth.login(EMAIL)
    png = client.get(f"/credentials/certificate/{cert_id}/badge.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert baking.unbake(png.data) == token
    envelope = client.get(f"/credentials/certificate/{cert_id}/credential.json").get_json()
    assert envelope["type"] == "EnvelopedVerifiableCredential"
    with app.app_context():
        assert services.verify(png.data, now=NOW).status == rules.Status.VALID
        assert services.verify(json.dumps(envelope), now=NOW).status == rules.Status.VALID
    auth.logout()
    make_user("other@example.jp")
    auth.login("other@example.jp")
    assert client.get(f"/credentials/certificate/{cert_id}/badge.png").status_code == 403


def test_verification_page_shows_status_and_holder_match(app, issued, client):
    _, token = issued
    page = client.post("/credentials/verify", data={"credential": token, "email": EMAIL})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-status="valid"' in html
    assert "有効" in html and "一致します" in html
    bad = client.post("/credentials/verify", data={"credential": token[:-3] + "abc"})
    assert 'data-status="invalid"' in bad.get_data(as_text=True)


def test_cli_verify(app, issued, runner, tmp_path):
    _, token = issued
    path = tmp_path / "credential.jwt"
    path.write_text(token)
    result = runner.invoke(args=["lms", "credential", "verify", str(path), "--email", EMAIL])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["status"] == "valid"
    path.write_text(token[:-3] + "abc")
    result = runner.invoke(args=["lms", "credential", "verify", str(path)])
    assert result.exit_code == 1
    assert json.loads(result.output)["status"] == "invalid"


def test_rotated_key_keeps_old_credentials_verifiable(app, issued, runner):
    _, token = issued
    result = runner.invoke(args=["lms", "credential", "keygen", "--rotate"])
    assert result.exit_code == 0
    with app.app_context():
        assert len(services.keystore().public_jwks()["keys"]) >= 2
        assert services.verify(token, now=NOW).status == rules.Status.VALID
    _independent_decode(app, token)


def test_did_document_lists_the_keys(client):
    did = client.get("/.well-known/did.json").get_json()
    assert did["id"] == "did:web:lms.test"
    assert did["assertionMethod"] and did["verificationMethod"][0]["publicKeyJwk"]["kty"] == "RSA"
    assert "d" not in did["verificationMethod"][0]["publicKeyJwk"]
