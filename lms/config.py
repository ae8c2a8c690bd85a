"""Configuration: defaults, then ``LMS_*`` environment variables, then the test mapping."""

from __future__ import annotations

import os
from typing import Any

DEV_SECRET_KEY = "dev-only-insecure-key"

#: name → (default, parser). Every setting may be overridden by ``LMS_<NAME>``.
SETTINGS: dict[str, tuple[Any, type]] = {
    "ENV": ("development", str),
    "SECRET_KEY": (DEV_SECRET_KEY, str),
    "DATABASE_URL": ("", str),  # empty = SQLite file in the instance folder
    "BASE_URL": ("http://127.0.0.1:5000", str),
    "URL_PREFIX": ("", str),
    "PROXY_HOPS": (0, int),
    "TIMEZONE": ("Asia/Tokyo", str),
    "DEFAULT_LOCALE": ("ja", str),
    "LOGIN_MAX_FAILURES": (5, int),
    "LOGIN_LOCK_MINUTES": (15, int),
    "INVITE_MAX_AGE_HOURS": (168, int),
    "RESET_MAX_AGE_MINUTES": (60, int),
    "COHORT_DEFAULT_CAPACITY": (60, int),
    "SMTP_HOST": ("", str),
    "SMTP_PORT": (587, int),
    "SMTP_USER": ("", str),
    "SMTP_PASSWORD": ("", str),
    "SMTP_STARTTLS": (True, bool),
    "MAIL_FROM": ("coordinator-lms <no-reply@lms.example>", str),
    "MAIL_OUTBOX": ("", str),  # empty = <instance>/outbox
    "CONTENT_DIR": ("", str),  # empty = content/ beside the lms package
    "COMPLETION_THRESHOLD": (0.95, float),  # watched share of a video that completes a module
    "MEDIA_ACCEL": ("", str),  # "" (Flask serves), "x-accel-redirect" (nginx) or "x-sendfile"
    "MEDIA_ACCEL_PREFIX": ("/protected-media/", str),  # internal location mapped to content/
    "MEDIA_MAX_AGE": (3600, int),  # seconds browsers may cache a video
    "UPLOAD_DIR": ("", str),  # empty = <instance>/uploads (practice report attachments)
    "OFFER_HOURS": (48, int),  # how long a waitlisted trainee has to take up a freed seat
    "ATTENDANCE_RULE": ("all_days", str),  # all_days | all_but_one | any_day
    "XAPI_FORWARD_URL": ("", str),  # external LRS endpoint, e.g. https://lrs.example/xAPI/
    "XAPI_FORWARD_KEY": ("", str),
    "XAPI_FORWARD_SECRET": ("", str),
    "XAPI_FORWARD_BATCH": (100, int),  # statements per POST
    "XAPI_FORWARD_TIMEOUT": (10.0, float),  # seconds before a silent LRS counts as down
    "XAPI_FORWARD_BACKOFF": (5.0, float),  # first wait after a failure; doubles each time
    "XAPI_FORWARD_BACKOFF_MAX": (900.0, float),
    "XAPI_CORS_ORIGINS": ("", str),  # origins (space-separated) whose pages may call /xapi/
    "XAPI_MAX_STATEMENTS": (1000, int),  # statements per request to /xapi/statements (413 beyond)
    "XAPI_RATE_LIMIT": ("600 per minute", str),  # requests per LRS client (flask-limiter syntax)
    "XAPI_FAULT_FILE": ("", str),  # tests only: the LRS answers 503 or stalls as it says
}

LOCALES = ("ja", "en")


def _parse(raw: str, kind: type) -> Any:
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return kind(raw)


def from_environment(environ: os._Environ[str] | dict[str, str]) -> dict[str, Any]:
    """Return every setting, taking ``LMS_<NAME>`` from *environ* where present."""
    values: dict[str, Any] = {}
    for name, (default, kind) in SETTINGS.items():
        raw = environ.get(f"LMS_{name}")
        values[name] = default if raw is None else _parse(raw, kind)
    return values


def finalise(config: dict[str, Any], instance_path: str) -> None:
    """Derive Flask's own keys from the LMS settings and refuse unsafe production set-ups."""
    production = config["ENV"] == "production"
    if production and config["SECRET_KEY"] in ("", DEV_SECRET_KEY):
        raise RuntimeError(
            "LMS_SECRET_KEY is not set: in production set LMS_SECRET_KEY to a long random value "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    url = config["DATABASE_URL"] or "sqlite:///" + os.path.join(instance_path, "lms.sqlite3")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    config["SQLALCHEMY_DATABASE_URI"] = url
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    config["MAIL_OUTBOX"] = config["MAIL_OUTBOX"] or os.path.join(instance_path, "outbox")
    config["UPLOAD_DIR"] = config["UPLOAD_DIR"] or os.path.join(instance_path, "uploads")
    # Flask's own default is None (unlimited); uploads are attachments of at most a few MB.
    config["MAX_CONTENT_LENGTH"] = config.get("MAX_CONTENT_LENGTH") or 32 * 1024 * 1024
    project_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    config["CONTENT_DIR"] = os.path.abspath(
        config["CONTENT_DIR"] or os.path.join(project_root, "content"))
    config["APPLICATION_ROOT"] = config["URL_PREFIX"] or "/"
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["SESSION_COOKIE_SECURE"] = production
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["REMEMBER_COOKIE_SECURE"] = production
    config["BABEL_DEFAULT_LOCALE"] = config["DEFAULT_LOCALE"]
    config["BABEL_DEFAULT_TIMEZONE"] = config["TIMEZONE"]
    config["WTF_CSRF_TIME_LIMIT"] = None  # tie the token to the session, not the clock
