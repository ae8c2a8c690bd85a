"""LMS instances under gunicorn on the test database, for the fault and several-server tests.

:class:`LmsInstance` is the LMS as production runs it (gunicorn, gthread workers) on its own
loopback port, on the *test* database (``tests.conftest.database_url()``: SQLite or the
PostgreSQL database named by ``LMS_TEST_DATABASE_URL``). Several instances built with the same
secret key behave as several machines behind one proxy. :class:`Browser` is a cookie-keeping
HTTP client that logs in through the real form. Standard library only.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import signal
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.conftest import PASSWORD, database_url
from tests.xapi.servers import BIN, ROOT, _Server, free_port

SECRET = "fault-tests-shared-secret-key-0123456789"


def with_application_name(url: str, name: str) -> str:
    """Tag PostgreSQL connections so a test can find (and cut) this instance's own."""
    if not url.startswith("postgresql"):
        return url
    return url + ("&" if "?" in url else "?") + f"application_name={name}"


class LmsInstance(_Server):
    """``gunicorn lms:create_app()`` with *workers* workers on the shared test database."""

    health_path = "/healthz"

    def __init__(self, workdir: Path, content_root: Path, name: str = "lms-a",
                 workers: int = 2, **settings: str):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.content_root = Path(content_root)
        self.name, self.workers, self.settings = name, workers, settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.workdir / f"{name}.log"

    def _env(self) -> dict[str, str]:
        import os

        env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
        env.update({"LMS_DATABASE_URL": with_application_name(database_url(), self.name),
                    "LMS_SECRET_KEY": SECRET,
                    "LMS_CONTENT_DIR": str(self.content_root),
                    "LMS_MAIL_OUTBOX": str(self.workdir / "outbox"),
                    "LMS_UPLOAD_DIR": str(self.workdir.parent / "uploads"),
                    "LMS_BASE_URL": self.url,
                    "LMS_THREADS": "4"})
        env.update({f"LMS_{k}": v for k, v in self.settings.items()})
        return env

    def _cwd(self) -> Path:
        return ROOT

    def _command(self) -> list[str]:
        return [str(BIN / "gunicorn"), "-c", "python:lms.gunicorn_conf", "--no-control-socket",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "lms:create_app()"]

    def __enter__(self) -> LmsInstance:
        self.start()
        return self

    def kill(self) -> None:
        """SIGKILL the whole process group's master and workers: no shutdown, no flush."""
        import os

        if self.proc is None:
            return
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            children = ""
        self.proc.send_signal(signal.SIGKILL)
        for pid in children.split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(10)
        self.proc = None


class Browser:
    """One user's cookie jar; it may talk to any instance (``base`` is switched freely)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token = ""

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=30).read().decode()

    def status_of(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post(self, path: str, data: dict | None = None, json_body=None):
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers = {"Content-Type": "application/json", "X-CSRFToken": self.token}
        else:
            body = urllib.parse.urlencode({"csrf_token": self.token, **(data or {})}).encode()
            headers = {}
        return self.opener.open(urllib.request.Request(self.base + path, body, headers),
                                timeout=30)

    def refresh_token(self, path: str = "/") -> None:
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path))
        assert match, f"no CSRF token on {path}"
        self.token = match.group(1)

    def login(self, email: str, password: str = PASSWORD) -> Browser:
        self.refresh_token("/auth/login")
        self.post("/auth/login", {"email": email, "password": password})
        self.refresh_token("/trainee/")  # logging in starts a fresh session
        return self
