"""Security headers on every answer, and templates without inline script."""

import re
from pathlib import Path

from lms import create_app
from tests.conftest import base_config

TEMPLATES = Path(__file__).resolve().parent.parent / "lms"


def test_policy_headers_on_pages(client):
    response = client.get("/auth/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # not production


def test_hsts_only_in_production_over_https(tmp_path):
    config = base_config(str(tmp_path))
    config.update(ENV="production", SECRET_KEY="k" * 64)
    client = create_app(config).test_client()
    assert client.get("/livez", base_url="https://lms.test").headers[
        "Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/livez").headers


def test_no_template_has_inline_script():
    inline = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\son[a-z]+\s*=", text) or re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) \
                or "javascript:" in text:
            inline.append(path.name)
    assert inline == []
