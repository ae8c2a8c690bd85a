"""Signed statements (xAPI 1.0.3 Data §2.6): the JWS signature attachment is verified."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from joserfc import jws
from joserfc.jwk import OctKey, RSAKey

from lms.lrs import multipart
from tests.lrs.conftest import statement
from tests.lrs.contract.conftest import refused

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def certificate(subject: str, key, issuer: str | None = None, issuer_key=None) -> str:
    """A certificate for *key*'s public half, signed by *issuer_key* (self-signed without),
    as an x5c entry (base64 DER)."""
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                       issuer or subject)]))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .sign(issuer_key or key, hashes.SHA256()))
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


@pytest.fixture(scope="module")
def signer():
    """An RSA key with a self-signed certificate, as a client would sign with."""
    private = rsa_key()
    return RSAKey.import_key(private), certificate("signer.example", private)


@pytest.fixture(scope="module")
def chain():
    """A signer's key and its chain: signer ← intermediate ← self-signed root, and another
    root that signed none of them."""
    root, intermediate, leaf, stranger = rsa_key(), rsa_key(), rsa_key(), rsa_key()
    return {
        "key": RSAKey.import_key(leaf),
        "leaf": certificate("signer.example", leaf, "Intermediate CA", intermediate),
        "intermediate": certificate("Intermediate CA", intermediate, "Root CA", root),
        "root": certificate("Root CA", root),
        # names the root as its issuer and as itself, but the stranger signed it
        "forged_root": certificate("Root CA", root, "Root CA", stranger),
        "stranger": certificate("Root CA", stranger),
    }


def sign(key, payload: dict, alg="RS256", x5c=None) -> bytes:
    chain = [x5c] if isinstance(x5c, str) else x5c
    header = {"alg": alg, **({"x5c": chain} if chain is not None else {})}
    return jws.serialize_compact(header, json.dumps(payload), key, algorithms=[alg]).encode()


def post_signed(lrs, s: dict, signature: bytes):
    s = dict(s, attachments=[{"usageType": SIGNATURE, "display": {"en-US": "signature"},
                              "contentType": "application/octet-stream",
                              "length": len(signature), "sha2": multipart.sha2(signature)}])
    content_type, body = multipart.build(json.dumps(s).encode(), [
        multipart.Part("application/octet-stream", multipart.sha2(signature), signature)])
    return lrs.client.post("/xapi/statements", data=body, content_type=content_type,
                           headers=lrs.headers())


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_data_2_6_a_valid_signature_is_accepted(lrs, signer, alg):
    key, x5c = signer
    s = statement()
    assert post_signed(lrs, s, sign(key, s, alg, x5c)).status_code == 200


def test_data_2_6_a_signature_without_certificate_is_checked_for_form_and_payload(lrs, signer):
    key, _x5c = signer
    s = statement()
    assert post_signed(lrs, s, sign(key, s)).status_code == 200


def test_data_2_6_a_payload_that_is_not_the_statement_is_refused(lrs, signer):
    key, x5c = signer
    s = statement()
    other = dict(s, verb={"id": "http://v.example/forged"})
    assert refused(post_signed(lrs, s, sign(key, other, x5c=x5c)), "payload")


def test_data_2_6_a_signature_that_does_not_verify_is_refused(lrs, signer):
    key, x5c = signer
    s = statement()
    token = sign(key, s, x5c=x5c)
    head, payload, _sig = token.split(b".")
    forged = head + b"." + payload + b"." + base64.urlsafe_b64encode(b"x" * 256).rstrip(b"=")
    assert refused(post_signed(lrs, s, forged), "verify")


def test_data_2_6_other_algorithms_are_refused(lrs):
    s = statement()
    token = jws.serialize_compact({"alg": "HS256"}, json.dumps(s), OctKey.import_key("k" * 32),
                                  algorithms=["HS256"]).encode()
    assert refused(post_signed(lrs, s, token), "RS256")


def test_data_2_6_a_malformed_signature_is_refused(lrs):
    assert refused(post_signed(lrs, statement(), b"not a jws"), "JWS")


def test_data_2_6_a_certificate_chain_signed_up_to_its_root_is_accepted(lrs, chain):
    s = statement()
    x5c = [chain["leaf"], chain["intermediate"], chain["root"]]
    assert post_signed(lrs, s, sign(chain["key"], s, x5c=x5c)).status_code == 200
    # the root may be left out: no trust anchor is required, only an unbroken chain
    s = statement()
    x5c = [chain["leaf"], chain["intermediate"]]
    assert post_signed(lrs, s, sign(chain["key"], s, x5c=x5c)).status_code == 200


def test_data_2_6_a_certificate_not_signed_by_the_next_is_refused(lrs, chain):
    s = statement()
    # the signer's certificate followed by a root that did not issue its intermediate
    x5c = [chain["leaf"], chain["intermediate"], chain["stranger"]]
    response = post_signed(lrs, s, sign(chain["key"], s, x5c=x5c))
    assert refused(response, "x5c certificate 2 is not signed by certificate 3")
    # a link left out: the intermediate's place taken by the root
    x5c = [chain["leaf"], chain["root"]]
    response = post_signed(lrs, s, sign(chain["key"], s, x5c=x5c))
    assert refused(response, "x5c certificate 1 is not signed by certificate 2")


def test_data_2_6_a_root_whose_self_signature_fails_is_refused(lrs, chain):
    s = statement()
    x5c = [chain["leaf"], chain["intermediate"], chain["forged_root"]]
    response = post_signed(lrs, s, sign(chain["key"], s, x5c=x5c))
    assert refused(response, "x5c certificate 3 names itself as issuer")


def test_data_2_6_the_signing_key_must_be_the_first_certificates(lrs, chain):
    """A chain that is sound but certifies another key than the one that signed."""
    s = statement()
    other = RSAKey.import_key(rsa_key())
    x5c = [chain["leaf"], chain["intermediate"], chain["root"]]
    response = post_signed(lrs, s, sign(other, s, x5c=x5c))
    assert refused(response, "does not verify with the key of its first x5c certificate")


def test_data_2_6_a_first_certificate_without_an_rsa_key_is_refused(lrs, signer):
    key, _x5c = signer
    s = statement()
    ec_cert = certificate("signer.example", ec.generate_private_key(ec.SECP256R1()))
    assert refused(post_signed(lrs, s, sign(key, s, x5c=ec_cert)), "not an RSA key")


@pytest.mark.parametrize("x5c", [[], ["bm90IGEgY2VydGlmaWNhdGU="], ["%%%"]])
def test_data_2_6_an_unreadable_x5c_is_refused(lrs, signer, x5c):
    key, _x5c = signer
    s = statement()
    header = {"alg": "RS256", "x5c": x5c}
    token = jws.serialize_compact(header, json.dumps(s), key, algorithms=["RS256"]).encode()
    assert refused(post_signed(lrs, s, token), "x5c")
