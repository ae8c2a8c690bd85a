"""Configuration from the environment, production safety, and running under a prefix."""

import logging

import pytest

from lms import create_app
from lms.config import DEV_SECRET_KEY, finalise, from_environment


def test_environment_overrides_defaults():
    values = from_environment({"LMS_LOGIN_MAX_FAILURES": "3", "LMS_SMTP_STARTTLS": "no"})
    assert values["LOGIN_MAX_FAILURES"] == 3 and values["SMTP_STARTTLS"] is False
    assert values["COHORT_DEFAULT_CAPACITY"] == 60


@pytest.mark.parametrize("secret", ["", "dev-only-insecure-key"])
def test_production_refuses_a_default_secret(secret, tmp_path):
    with pytest.raises(RuntimeError, match="LMS_SECRET_KEY"):
        create_app({"ENV": "production", "SECRET_KEY": secret,
                    "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_production_cookies_are_secure(tmp_path):
    app = create_app({"ENV": "production", "SECRET_KEY": "s" * 40,
                      "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]


def test_served_under_a_path_prefix(app):
    app.config["URL_PREFIX"] = "/lms"
    from lms import _wrap_wsgi

    _wrap_wsgi(app)
    client = app.test_client()
    assert client.get("/lms/auth/login").status_code == 200
    assert client.get("/auth/login").status_code == 404
    location = client.get("/lms/").headers["Location"]
    assert location.startswith("/lms/auth/login")
    assert 'href="/lms/static/css/app.css' in client.get("/lms/auth/login").text


def test_proxy_headers_are_trusted_when_configured(app):
    app.config["PROXY_HOPS"] = 1
    from lms import _wrap_wsgi

    _wrap_wsgi(app)
    response = app.test_client().get("/", headers={"X-Forwarded-Prefix": "/portal/lms",
                                                   "X-Forwarded-Proto": "https"})
    assert response.headers["Location"].startswith("/portal/lms/auth/login")


def test_request_bodies_are_limited(app, client, auth, make_user):
    assert app.config["MAX_CONTENT_LENGTH"] == 32 * 1024 * 1024
    make_user("t@example.jp")
    auth.login("t@example.jp")
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/auth/language", data={"locale": "ja", "next": "x" * 5000})
    assert response.status_code == 413
    assert "大きすぎます" in response.text


@pytest.mark.parametrize("secret", ["short-key", "x" * 31])
def test_production_refuses_a_short_secret(secret, tmp_path):
    with pytest.raises(RuntimeError, match="32 bytes"):
        create_app({"ENV": "production", "SECRET_KEY": secret,
                    "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_without_a_key_each_instance_makes_its_own_once(tmp_path):
    """``make run`` sets no key: the instance gets a random one, kept across restarts."""
    first, second = tmp_path / "one", tmp_path / "two"
    keys = []
    for instance in (first, first, second):
        instance.mkdir(exist_ok=True)
        config = from_environment({})
        config["DATABASE_URL"] = f"sqlite:///{tmp_path}/x.db"
        finalise(config, str(instance))
        keys.append(config["SECRET_KEY"])
    assert keys[0] == keys[1] != keys[2]
    assert len(keys[0]) == 64 and keys[0] != DEV_SECRET_KEY
    assert (first / "secret_key").stat().st_mode & 0o777 == 0o600
    config = from_environment({"LMS_SECRET_KEY": DEV_SECRET_KEY})  # the old shipped key
    config["DATABASE_URL"] = f"sqlite:///{tmp_path}/x.db"
    finalise(config, str(first))
    assert config["SECRET_KEY"] == keys[0]


def test_readme_settings_table_names_every_setting_with_its_default():
    import re
    from pathlib import Path

    from lms.config import SETTINGS

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `LMS_")]
    named = {name for row in rows for name in re.findall(r"`LMS_([A-Z0-9_]+)`", row.split("|")[1])}
    assert set(SETTINGS) - named == set()
    assert all(len(row.split("|")) >= 5 and row.split("|")[2].strip() for row in rows)


def test_an_unknown_attendance_rule_stops_the_app_at_start_up(tmp_path):
    with pytest.raises(RuntimeError, match="LMS_ATTENDANCE_RULE='most_days'.*all_days"):
        create_app({"ATTENDANCE_RULE": "most_days", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
def test_production_warns_when_the_base_url_is_the_development_default(tmp_path, caplog):
    settings = {"ENV": "production", "SECRET_KEY": "s" * 40,
                "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    logging.getLogger("lms").disabled = False  # Alembic's fileConfig in earlier tests
    with caplog.at_level("WARNING", logger="lms"):
        create_app(settings)
    assert "LMS_BASE_URL" in caplog.text and "http://127.0.0.1:5000" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="lms"):
        create_app({**settings, "BASE_URL": "https://portal.example.jp/lms"})
        create_app({**settings, "ENV": "development"})
    assert "LMS_BASE_URL" not in caplog.text


def test_statement_iris_and_home_pages_follow_the_configured_base_url(app, make_user):
    """Every IRI the LMS mints (activities, its own terms, account home pages) starts with
    LMS_BASE_URL, including its path prefix."""
    from lms import xapi
    from lms.auth.models import User
    from lms.extensions import db
    from lms.xapi import vocab

    app.config["BASE_URL"] = "https://portal.example.jp/lms"
    uid = make_user("t@example.jp")
    with app.app_context():
        user = db.session.get(User, uid)
        made = xapi.record(user, vocab.REFLECTED, xapi.activity(
            xapi.activity_iri("practice", "reflections", "2026-11-30"), vocab.TYPE_REFLECTION,
            "振り返り", "Daily reflection"), context={"extensions": {vocab.EXT_DAY.iri: "x"}})
        db.session.commit()
    base = "https://portal.example.jp/lms/"
    assert made["actor"]["account"]["homePage"] == "https://portal.example.jp/lms"
    assert made["authority"]["account"]["homePage"] == "https://portal.example.jp/lms"
    assert made["verb"]["id"] == base + "vocab/verbs/reflected"
    assert made["object"]["id"].startswith(base + "xapi/activities/")
    assert made["object"]["definition"]["type"] == base + "vocab/activity-types/reflection"
    assert list(made["context"]["extensions"]) == [base + "vocab/extensions/session-day"]
