"""Configuration: defaults, then ``LMS_*`` environment variables, then the test mapping."""

from __future__ import annotations

import logging
import os
import secrets
from typing import Any
from urllib.parse import urlsplit

from lms.booking.rules import ATTENDANCE_RULES

#: the key older versions shipped in the repository: refused in production, replaced elsewhere
DEV_SECRET_KEY = "dev-only-insecure-key"
#: shortest LMS_SECRET_KEY production accepts, in bytes (e.g. ``secrets.token_hex(32)``)
MIN_SECRET_KEY_BYTES = 32

#: name → (default, parser). Every setting may be overridden by ``LMS_<NAME>``.
SETTINGS: dict[str, tuple[Any, type]] = {
    "ENV": ("development", str),
    # empty = outside production, a random key made once per instance (<instance>/secret_key)
    "SECRET_KEY": ("", str),
    "DATABASE_URL": ("", str),  # empty = SQLite file in the instance folder
    "BASE_URL": ("http://127.0.0.1:5000", str),
    "URL_PREFIX": ("", str),
    "PROXY_HOPS": (0, int),
    "TIMEZONE": ("Asia/Tokyo", str),
    "DEFAULT_LOCALE": ("ja", str),
    "LOGIN_MAX_FAILURES": (5, int),  # failed logins per address before pauses begin
    "LOGIN_IP_MAX_FAILURES": (20, int),  # failed logins per client IP before pauses begin
    "LOGIN_DELAY_SECONDS": (30, int),  # first pause; doubles with each further failure
    "LOGIN_LOCK_MINUTES": (15, int),  # longest pause
    "LOGIN_FORGET_MINUTES": (60, int),  # failures this old are forgotten
    "RESET_MAILS_PER_HOUR": (3, int),  # password-reset mails to one address per hour
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
    "ELIGIBILITY_WINDOW_YEARS": (5, int),  # §4 注6: experience counts in the years before start
    "ELIGIBILITY_MIN_DAYS_IN_POST": (365, int),  # "1 year" in post, in days (union of periods)
    "ELIGIBILITY_MIN_DAYS_WORKED": (180, int),  # 従業日数 needed inside that window
    "EVIDENCE_MAX_MB": (10, int),  # largest evidence file an applicant may upload
    "ATTENDANCE_RULE": ("all_days", str),  # all_days | all_but_one | any_day
    "CERTIFICATION_QUORUM": (2, int),  # committee members who must agree on a certification
    "LATE_COUNTS_AS_ATTENDED": (True, bool),  # a day marked late counts for ATTENDANCE_RULE
    "LATENESS_LIMIT_MINUTES": (15, int),  # a check-in this long after the start is "late"
    "MAX_PLAYBACK_RATE": (2.0, float),  # fastest lecture speed; caps credited watching per trainee
    "PROGRESS_REPORT_ON_COHORT_DATE": (True, bool),  # false: it opens with the practice stage
    "FINAL_REPORT_AFTER_PROGRESS": (True, bool),  # false: the final report opens with the stage
    "RETURNED_REPORT_WITHDRAWS": (True, bool),  # a returned report not resubmitted in time
    "REFLECTIONS_REQUIRED": (0, int),  # days of reflections practice completion needs; 0 = none
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
    # where that rate is counted: memory | database | a limits URI; empty = database in production
    "RATE_LIMIT_STORAGE": ("", str),
    "XAPI_FAULT_FILE": ("", str),  # tests only: the LRS answers 503 or stalls as it says
    # certificates (認定証, §6(3)-(4))
    "CERT_AGENCY_TITLE": ("出入国在留管理庁長官", str),  # the issuer printed on the certificate
    "CERT_FONT_FILE": ("", str),  # empty = IPAex Mincho found by fontconfig; missing = error
    "CERT_RENEWAL_YEARS": (3, int),  # a renewal's new period runs this long from the old expiry
    "CERT_RENEWAL_WINDOW_MONTHS": (6, int),  # renewal training opens this long before expiry
    "CERT_REMINDER_MONTHS": ("6,3,1", str),  # renewal reminders, months before expiry
    "CERT_VERIFY_PER_MINUTE": (20, int),  # public verification requests per client per minute
    #: the Open Badges issuer's signing keys (outside the database); "" = <instance>/credential-keys
    "CREDENTIAL_KEY_DIR": ("", str),
    # sent on every answer: no inline or foreign script, no framing (styles may be inline:
    # progress bars set their width)
    "CONTENT_SECURITY_POLICY": ("default-src 'self'; script-src 'self'; "
                                "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                "object-src 'none'; base-uri 'self'; form-action 'self'; "
                                "frame-ancestors 'none'", str),
    "HSTS_SECONDS": (31536000, int),  # Strict-Transport-Security in production over https; 0=off
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
    key = config["SECRET_KEY"] or ""
    if production and (key == DEV_SECRET_KEY or len(key.encode()) < MIN_SECRET_KEY_BYTES):
        raise RuntimeError(
            f"LMS_SECRET_KEY is not set or shorter than {MIN_SECRET_KEY_BYTES} bytes: in "
            "production set LMS_SECRET_KEY to a long random value "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if key in ("", DEV_SECRET_KEY):
        config["SECRET_KEY"] = instance_secret_key(instance_path)
    _check_choices(config)
    if production and _is_local(config["BASE_URL"]):
        # Mail links, xAPI IRIs and account home pages are built from it: in production they
        # would point at the development address.
        logging.getLogger("lms").warning(
            "LMS_BASE_URL is %r, a development address, while LMS_ENV=production: set it to "
            "the public URL (with any path prefix), e.g. https://portal.example.jp/lms; links "
            "in mail and the IRIs of learning records are built from it.", config["BASE_URL"])
    url = config["DATABASE_URL"] or "sqlite:///" + os.path.join(instance_path, "lms.sqlite3")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    config["SQLALCHEMY_DATABASE_URI"] = url
    # A server's connection can drop (restart, failover): test each one as it leaves the pool.
    # A SQLite file cannot, and the test would cost a query on every request.
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS",
                      {} if url.startswith("sqlite") else {"pool_pre_ping": True})
    if url.startswith("sqlite"):
        # SQLite has one writer; wait up to 30 s for it (the driver's 5 s fails under load)
        config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("connect_args", {"timeout": 30})
    config["MAIL_OUTBOX"] = config["MAIL_OUTBOX"] or os.path.join(instance_path, "outbox")
    config["UPLOAD_DIR"] = config["UPLOAD_DIR"] or os.path.join(instance_path, "uploads")
    config["CREDENTIAL_KEY_DIR"] = (config["CREDENTIAL_KEY_DIR"]
                                    or os.path.join(instance_path, "credential-keys"))
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


def instance_secret_key(instance_path: str) -> str:
    """Return this instance's own random key, made on first use and kept (mode 600).

    Written to a temporary file and linked into place, so processes starting together all
    read the one key that won.
    """
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        temporary = f"{path}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(temporary)
    with open(path, encoding="ascii") as fh:
        key = fh.read().strip()
    if len(key.encode()) < MIN_SECRET_KEY_BYTES:
        raise RuntimeError(f"{path} holds no usable key: delete it to make a new one")
    return key


def _check_choices(config: dict[str, Any]) -> None:
    """Stop at start-up, naming the setting, when a value can only fail later (as a 500)."""
    if config["ATTENDANCE_RULE"] not in ATTENDANCE_RULES:
        raise RuntimeError(
            f"LMS_ATTENDANCE_RULE={config['ATTENDANCE_RULE']!r} is not a known rule: use one of "
            f"{', '.join(ATTENDANCE_RULES)}.")
    if config["MAX_PLAYBACK_RATE"] < 1:
        raise RuntimeError("LMS_MAX_PLAYBACK_RATE must be 1 or more (e.g. 2).")
def _is_local(base_url: str) -> bool:
    """Whether *base_url* is the development default or another address only this machine
    can reach."""
    host = urlsplit(base_url).hostname or ""
    return base_url.rstrip("/") == SETTINGS["BASE_URL"][0] or host in (
        "", "localhost", "127.0.0.1", "::1", "0.0.0.0")
