"""Real external LRS processes for the forwarding tests (never in-process mocks).

* :class:`RalphServer` — an LRS we did not write (Ralph 4.2.0, filesystem backend), so that a
  misreading of the spec shared by our sender and our receiver cannot hide.
* :class:`LmsLrsServer` — a second instance of this LMS's LRS under gunicorn, with its own
  database and port, that can be stopped (connection refused), stalled or made to answer 503.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: server exited: {log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up: {log.read_text()[-3000:]}")


class _Server:
    url: str
    key: str
    secret: str
    proc: subprocess.Popen | None = None

    def _request(self, url: str) -> dict:
        auth = base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
        request = urllib.request.Request(url, headers={
            "Authorization": "Basic " + auth, "X-Experience-API-Version": "1.0.3"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def statements(self) -> list[dict]:
        """Every statement the LRS holds, oldest stored first (follows ``more``)."""
        found: list[dict] = []
        url = self.url + "statements?" + urllib.parse.urlencode({"limit": 100, "ascending": "true"})
        while url:
            body = self._request(url)
            found += body["statements"]
            more = body.get("more")
            url = urllib.parse.urljoin(self.url, more) if more else ""
        return found

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None

    def __exit__(self, *exc) -> None:
        self.stop()


class RalphServer(_Server):
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        self.key, self.secret = "forwarder", "forwarder-secret"

    def __enter__(self) -> RalphServer:
        venv = subprocess.run([sys.executable, str(ROOT / "tools" / "ensure_ralph.py")],
                              check=True, capture_output=True, text=True).stdout.strip()
        store = self.workdir / "ralph-store"
        store.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "RALPH_RUNSERVER_BACKEND": "fs",
               "RALPH_AUTH_FILE": str(self.workdir / "ralph-auth.json"),
               "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(store),
               "RALPH_APP_DIR": str(self.workdir / "ralph-app")}
        subprocess.run([f"{venv}/bin/ralph", "auth", "-u", self.key, "-p", self.secret,
                        "-s", "all", "-M", "mailto:forwarder@lrs.example", "-w"],
                       env=env, check=True, capture_output=True)
        log = self.workdir / "ralph.log"
        self.proc = subprocess.Popen(
            [f"{venv}/bin/python", str(ROOT / "tools" / "ralph_server.py"), "127.0.0.1",
             str(self.port)], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        _wait(f"http://127.0.0.1:{self.port}/__lbheartbeat__", self.proc, log)
        return self

    def arrival_order(self) -> list[dict]:
        """The statements in the order Ralph wrote them (its JSON-lines file, appended to)."""
        lines = []
        for path in sorted((self.workdir / "ralph-store").glob("*.jsonl")):
            lines += [json.loads(line) for line in path.read_text().splitlines() if line]
        return lines


class LmsLrsServer(_Server):
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xapi/"
        self.key, self.secret = "fwd", "fwd-secret"
        self.fault_file = workdir / "fault"
        self.env = {**os.environ, "LMS_DATABASE_URL": f"sqlite:///{workdir}/lrs.sqlite3",
                    "LMS_SECRET_KEY": "second-lrs-secret", "LMS_MAIL_OUTBOX": f"{workdir}/out",
                    "LMS_BASE_URL": f"http://127.0.0.1:{self.port}",
                    "LMS_XAPI_FAULT_FILE": str(self.fault_file), "LMS_XAPI_FORWARD_URL": ""}

    def _flask(self, *args: str) -> None:
        subprocess.run([str(BIN / "flask"), "--app", "lms", *args], env=self.env, cwd=ROOT,
                       check=True, capture_output=True)

    def __enter__(self) -> LmsLrsServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.set_fault("")
        self._flask("db", "upgrade")
        self._flask("lms", "lrs-client", "create", "forwarder", "--key", self.key,
                    "--secret", self.secret)
        self.start()
        return self

    def start(self) -> None:
        log = self.workdir / "gunicorn.log"
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:lms.gunicorn_conf", "--no-control-socket",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "lms:create_app()"],
            env=self.env, cwd=ROOT, stdout=log.open("a"), stderr=subprocess.STDOUT)
        _wait(f"http://127.0.0.1:{self.port}/healthz", self.proc, log)

    def set_fault(self, text: str) -> None:
        """``5xx`` answers 503; ``stall N`` waits N seconds first; empty is healthy."""
        self.fault_file.write_text(text)
