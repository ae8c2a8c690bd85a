"""Fixtures: an app on a migrated database (SQLite or PostgreSQL), clients, factories."""

from __future__ import annotations

import json
import os
import re
import tempfile

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from lms import create_app
from lms.auth import models as auth_models
from lms.auth.services import NewAccount, create_account
from lms.cohorts.services import create_cohort
from lms.demo import cohort_dates
from lms.extensions import db
from lms.lrs import validation
from lms.security import Role
from lms.xapi.models import Statement
from lms.xapi.recorder import strict_type_problem

PASSWORD = "correct-horse-42"
# Production's scrypt cost (n=2**15) spends most of a booking-race test hashing: tests use n=2**10.
auth_models.PASSWORD_METHOD = "scrypt:1024:8:1"
_TMP = tempfile.mkdtemp(prefix="lms-tests-")


def database_url() -> str:
    return os.environ.get("LMS_TEST_DATABASE_URL") or f"sqlite:///{_TMP}/test.sqlite3"


def require(condition: bool, reason: str) -> None:
    """Skip when *condition* fails — except under CI, where a skip would hide a failure."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def _reset_schema(url: str) -> None:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    if url.startswith("sqlite:///") and os.path.exists(url.removeprefix("sqlite:///")):
        os.remove(url.removeprefix("sqlite:///"))


def base_config(tmp: str) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "MAIL_OUTBOX": os.path.join(tmp, "outbox"),
        "SMTP_HOST": "",
        "BASE_URL": "http://lms.test",
        "URL_PREFIX": "",
        "PROXY_HOPS": 0,
        "SERVER_NAME": None,
        # one issuer key for the whole run (RSA key generation is slow)
        "CREDENTIAL_KEY_DIR": os.path.join(_TMP, "credential-keys"),
        # the run's own, not the checkout's instance/ (the SQLite and PostgreSQL passes run
        # side by side in `make test`)
        "UPLOAD_DIR": os.path.join(_TMP, "uploads"),
    }


@pytest.fixture(scope="session", autouse=True)
def programme_registered():
    """Every feature's programme entry (stages, kinds of test) registered, as an app does:
    the pure checkers (quiz files) read the kinds of test from the registry."""
    create_app(base_config(_TMP))


@pytest.fixture(scope="session")
def migrated_database():
    """Build the schema once per run through the migrations, as production does."""
    url = database_url()
    _reset_schema(url)
    app = create_app(base_config(_TMP))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _clean(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def app(migrated_database, tmp_path):
    app = create_app(base_config(str(tmp_path)))
    yield app
    validate_all_statements(app)
    _clean(app)


def validate_all_statements(app) -> None:
    """Every statement any test made (or posted) must be valid xAPI (the LRS's validator, which
    runs ralph-malph's models wherever they follow the specification), and every statement
    the LMS made must keep the Video Profile's and cmi5's rules and use declared terms."""
    with app.app_context():
        for payload in db.session.execute(sa.select(Statement.payload)).scalars():
            validation.check(payload, str(payload.get("version", "1.0.0")))
            assert strict_type_problem(payload) is None, payload
        assert profile_problems() == []
        from lms.xapi import vocab

        for payload in db.session.execute(sa.select(Statement.payload).where(
                Statement.source == "lms")).scalars():
            assert vocab.undeclared(payload) == [], payload


def profile_problems() -> list[str]:
    """The Video Profile and cmi5 rules the LMS's own statements break (lms.xapi.profiles)."""
    from lms.lrs.models import DocumentKind, XapiDocument
    from lms.xapi import profiles
    from lms.xapi.index import agent_key

    statements = list(db.session.execute(sa.select(Statement.payload).where(
        Statement.source == "lms").order_by(Statement.seq)).scalars())
    documents = {(d.activity_id, d.agent_key, d.registration): json.loads(d.content)
                 for d in db.session.execute(sa.select(XapiDocument).where(
                     XapiDocument.kind == DocumentKind.STATE,
                     XapiDocument.doc_id == "LMS.LaunchData")).scalars()}

    def launch_data(statement):
        return documents.get((statement["object"].get("id"), agent_key(statement["actor"]),
                              (statement.get("context") or {}).get("registration")))

    return profiles.problems(statements, launch_data)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def make_user(app):
    """Factory: ``make_user("a@x.example", Role.TRAINEE)`` creates and commits an account."""
    counter = iter(range(1, 10_000))

    def factory(email: str | None = None, *roles: Role, password: str | None = PASSWORD,
                name: str | None = None, locale: str = "ja"):
        with app.app_context():
            n = next(counter)
            email = email or f"user{n}@example.jp"
            new = NewAccount(email, name or f"利用者 {n}", frozenset(roles or {Role.TRAINEE}),
                             locale)
            user = create_account(None, new, password=password)
            db.session.commit()
            return user.id

    return factory


@pytest.fixture
def make_cohort(app):
    def factory(start, name: str = "第1期", capacity: int = 60):
        with app.app_context():
            cohort = create_cohort(None, name, capacity, cohort_dates(start))
            db.session.commit()
            return cohort.id

    return factory


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD, follow: bool = False):
        return self.client.post("/auth/login", data={"email": email, "password": password},
                                follow_redirects=follow)

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def text_of(html: str) -> str:
    """The visible text of a page, whitespace collapsed, for assertions on messages."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


AUTHORING = os.path.join(os.path.dirname(__file__), "fixtures", "authoring")


def authoring_copy(tmp_path) -> os.PathLike:
    """Copy the small fixture programme (content/ and quizzes/) and return its content root."""
    import shutil
    from pathlib import Path

    target = Path(tmp_path) / "authoring"
    shutil.copytree(AUTHORING, target)
    return target / "content"


_SEEDED: dict[tuple, dict[str, list[dict]]] = {}


def seeded(app, name: str, seed) -> None:
    """Run *seed* (it commits) on the empty database, once per test run: later tests that
    ask for the same *name* on an empty database get its rows back by plain inserts (the
    same ids; the database's id sequences are never reset, so they stay ahead of them).

    For the sample programme and the demo people, which take seconds to build and which
    dozens of tests start from. Files the seed writes (evidence uploads) stay where it wrote
    them; rows only are copied.
    """
    from lms.timeutil import today_tokyo

    key = (name, today_tokyo())  # the demo is built relative to today
    tables = db.metadata.sorted_tables
    with app.app_context():
        empty = not any(db.session.execute(sa.select(sa.literal(1)).select_from(t).limit(1))
                        .first() for t in tables)
        db.session.remove()
    if not empty or key not in _SEEDED:
        seed()
        if empty:
            with app.app_context():
                _SEEDED[key] = {t.name: [dict(row._mapping) for row in db.session.execute(
                    sa.select(t).order_by(*t.primary_key.columns))] for t in tables}
                db.session.remove()
        return
    with app.app_context():
        with db.engine.begin() as conn:
            for table in tables:
                if _SEEDED[key][table.name]:
                    conn.execute(table.insert(), _SEEDED[key][table.name])


def sample_and_demo(runner) -> None:
    """`make demo`: the sample programme (lectures, tests, report forms), then the demo
    people. With :func:`seeded`: ``seeded(app, SAMPLE_AND_DEMO, lambda: sample_and_demo(r))``."""
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    assert "seeded" in runner.invoke(args=["lms", "demo"]).output


SAMPLE_AND_DEMO = "sample programme and demo"
