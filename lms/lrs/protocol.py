"""The xAPI protocol around every LRS request: version header, Basic auth, errors, faults."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from functools import wraps
from typing import Any

from flask import Response, current_app, g, request
from sqlalchemy import select, update

from lms.extensions import db
from lms.lrs.models import LrsClient
from lms.security import LRS_CLIENT, PUBLIC, declare_access
from lms.timeutil import utcnow

VERSION = "1.0.3"
VERSION_2 = "2.0.0"
#: every version this LRS speaks (About lists them)
VERSIONS = (VERSION_2, VERSION, "1.0.2", "1.0.1", "1.0.0")
#: X-Experience-API-Version values and statement versions of xAPI 1.0 this LRS accepts
VERSION_RE = re.compile(r"^1\.0(\.\d+)?$")
#: the same for xAPI 2.0 (IEEE 9274.1.1: "2.0.0"; a patch level is allowed)
VERSION_2_RE = re.compile(r"^2\.0\.\d+$")


class LrsError(Exception):
    """An xAPI error answer: *status* with a JSON message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None):
    response = Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                        status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


def error_response(exc: LrsError):
    return json_response({"error": {"code": exc.status, "message": exc.message}},
                         exc.status, exc.headers)


def hash_secret(secret: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    return salt + "$" + hashlib.sha256((salt + secret).encode()).hexdigest()


def check_secret(stored: str, secret: str) -> bool:
    salt, _, _digest = stored.partition("$")
    return hmac.compare_digest(stored, hash_secret(secret, salt))


def check_version() -> None:
    """Refuse requests without a supported ``X-Experience-API-Version`` (About excepted) and
    remember the version to answer in (``g.xapi_version``: 1.0.3 or 2.0.0)."""
    version = request.headers.get("X-Experience-API-Version")
    if version is None:
        raise LrsError(400, "The X-Experience-API-Version header is required.")
    if VERSION_RE.match(version.strip()):
        g.xapi_version = VERSION
    elif VERSION_2_RE.match(version.strip()):
        g.xapi_version = VERSION_2
    else:
        raise LrsError(400, f"xAPI version {version!r} is not supported; use 1.0.3 or 2.0.0.")


def negotiated_version() -> str:
    """The version of this request's answer: the client's (1.0.3 or 2.0.0), else 1.0.3."""
    return g.get("xapi_version", VERSION)


def is_version_2() -> bool:
    return negotiated_version() == VERSION_2


def check_text(values) -> None:
    """Refuse NUL characters in parameters (PostgreSQL cannot store or compare them)."""
    for value in values:
        if "\x00" in value:
            raise LrsError(400, "Parameters and headers must not contain NUL characters.")


def authenticate() -> LrsClient:
    """Return the LRS client of the request's Basic credentials, or raise 401."""
    return client_for(request.headers.get("Authorization", ""))


def client_for(header: str) -> LrsClient:
    """Return the LRS client of an ``Authorization: Basic`` header value, or raise 401."""
    challenge = {"WWW-Authenticate": 'Basic realm="xAPI"'}
    if not header.lower().startswith("basic "):
        raise LrsError(401, "HTTP Basic credentials are required.", challenge)
    try:
        key, _, secret = base64.b64decode(header[6:].strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        raise LrsError(401, "The Authorization header is malformed.", challenge) from None
    if "\x00" in key or len(key) > 60:
        raise LrsError(401, "Unknown or revoked credentials.", challenge)
    client = db.session.execute(select(LrsClient).where(LrsClient.key == key)).scalar_one_or_none()
    if client is None or client.revoked_at is not None or not check_secret(client.secret_hash,
                                                                           secret):
        raise LrsError(401, "Unknown or revoked credentials.", challenge)
    return client


def count_use(client: LrsClient, statements: int = 0) -> None:
    """Add this request to the client's usage figures (flushes; commits with the request)."""
    db.session.execute(update(LrsClient).where(LrsClient.id == client.id).values(
        requests=LrsClient.requests + 1, statements_written=LrsClient.statements_written
        + statements, last_used_at=utcnow()))


def inject_fault() -> None:
    """Test-only switch (``LMS_XAPI_FAULT_FILE``): answer 503 or stall, as the file says."""
    path = current_app.config.get("XAPI_FAULT_FILE")
    if not path:
        return
    try:
        with open(path) as handle:
            fault = handle.read().strip()
    except OSError:
        return
    if fault == "5xx":
        raise LrsError(503, "Fault injected: service unavailable.")
    if fault.startswith("stall"):
        time.sleep(float(fault.split()[1]) if " " in fault else 30)
    if fault == "reject":
        raise LrsError(400, "Fault injected: statement rejected.")


def lrs_view(scope: str | None):
    """Wrap an LRS view: fault switch, version, Basic auth with *scope*, errors as JSON."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            try:
                inject_fault()
                check_text([*request.args.keys(), *request.args.values(),
                            *request.headers.values()])
                if scope is not None:
                    wanted = scope
                    if scope == "auto":
                        wanted = "read" if request.method in ("GET", "HEAD") else "write"
                    client = authenticate()
                    check_version()
                    if wanted == "read" and not client.can_read or \
                            wanted == "write" and not client.can_write:
                        raise LrsError(403, f"These credentials may not {wanted} here.")
                    g.lrs_client = client
                response = view(*args, **kwargs)
            except LrsError as exc:
                db.session.rollback()
                response = error_response(exc)
            return response  # the blueprint adds X-Experience-API-Version and CORS

        # Sessions play no part: Basic credentials are checked above (About is open).
        return declare_access(wrapper, PUBLIC if scope is None else LRS_CLIENT)

    return decorate

