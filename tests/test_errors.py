"""Server errors get a Japanese page; /healthz checks the database can write, /livez does not."""

import os
import shutil

import pytest

from lms import create_app
from lms.security import public
from tests.conftest import base_config, database_url


def test_an_unexpected_error_shows_a_japanese_page(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @public
    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/broken", "broken", broken)
    response = client.get("/broken")
    assert response.status_code == 500
    assert "システム" in response.text or "問題が発生" in response.text
    assert "Internal Server Error" not in response.text


def _unreachable_app(tmp_path):
    config = base_config(str(tmp_path))
    config["DATABASE_URL"] = f"sqlite:///{tmp_path}/missing-dir/none.sqlite3"
    config["PROPAGATE_EXCEPTIONS"] = False
    return create_app(config)


def test_database_down_gives_the_japanese_page_and_an_unhealthy_check(tmp_path):
    client = _unreachable_app(tmp_path).test_client()
    response = client.post("/auth/login", data={"email": "t@example.jp",
                                                "password": "correct-horse-42"})
    assert response.status_code == 500 and "問題が発生" in response.text
    assert client.get("/healthz").status_code == 503
    assert client.get("/livez").status_code == 200


def _read_only_app(tmp_path):
    config = base_config(str(tmp_path))
    url = database_url()
    if url.startswith("sqlite:///"):
        copy = tmp_path / "read-only.sqlite3"
        shutil.copy(url.removeprefix("sqlite:///"), copy)
        os.chmod(copy, 0o444)
        config["DATABASE_URL"] = f"sqlite:///file:{copy}?mode=ro&uri=true"
    else:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": "-c default_transaction_read_only=on"}}
    return create_app(config)


def test_healthz_fails_on_a_read_only_database(app, client, tmp_path):
    assert client.get("/healthz").status_code == 200
    response = _read_only_app(tmp_path).test_client().get("/healthz")
    assert response.status_code == 503, response.text


@pytest.mark.parametrize("path", ["/livez", "/healthz"])
def test_probes_need_no_login(client, path):
    assert client.get(path).text == "ok"


def test_every_refusal_for_the_user_shares_one_base():
    """Services refuse with a code for the view's message; one base catches them all."""
    from lms.applications.services import ApplicationError
    from lms.assessment.services import QuizError
    from lms.auth.services import AccountError
    from lms.booking.services import BookingError
    from lms.certificates.services import CertificateError
    from lms.cohorts.services import CohortError
    from lms.errors import UserError
    from lms.practice.services import PracticeError

    for error in (ApplicationError, QuizError, AccountError, BookingError, CertificateError,
                  CohortError, PracticeError):
        assert issubclass(error, UserError), error
    refused = BookingError("full")
    assert isinstance(refused, UserError) and refused.code == "full"
    assert isinstance(CohortError("dates", field="start"), ValueError)  # as before
