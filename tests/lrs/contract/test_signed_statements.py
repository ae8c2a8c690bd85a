"""Signed statements (xAPI 1.0.3 Data §2.6): the JWS signature attachment is verified."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from joserfc import jws
from joserfc.jwk import OctKey, RSAKey

from lms.lrs import multipart
from tests.lrs.conftest import statement
from tests.lrs.contract.conftest import refused

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


@pytest.fixture(scope="module")
def signer():
    """An RSA key with a self-signed certificate, as a client would sign with."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "signer.example")])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(private.public_key()).serial_number(1)
                   .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
                   .sign(private, hashes.SHA256()))
    der = certificate.public_bytes(serialization.Encoding.DER)
    return RSAKey.import_key(private), base64.b64encode(der).decode()


def sign(key, payload: dict, alg="RS256", x5c=None) -> bytes:
    header = {"alg": alg, **({"x5c": [x5c]} if x5c else {})}
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
