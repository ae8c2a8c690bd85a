"""Real external LRS processes for the forwarding tests and the benchmark (never mocks).

* :class:`RalphServer` — an LRS we did not write (Ralph 4.2.0, filesystem backend, in its own
  venv made by ``tools/ensure_ralph.py``), so that a misreading of the xAPI spec shared by our
  sender and our receiver cannot hide.
* :class:`LmsLrsServer` — a second instance of this LMS (its LRS at ``/xapi/``) under gunicorn,
  with its own SQLite database and port, that can be stopped and restarted on the same port
  (connection refused meanwhile), made to stall or to answer 503 (its fault file).

Both are context managers: ``with RalphServer(tmp_path) as lrs: lrs.url, lrs.key, …``. They
pick a free loopback port, wait (≤ 60 s) until the server answers, raise with the tail of its
output if it does not, and terminate it on exit. Standard library only.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository, whatever the working directory
BIN = Path(sys.executable).parent  # the LMS's venv: flask, gunicorn
READY_TIMEOUT = 60.0
XAPI_VERSION = "1.0.3"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no output)"


def _run(args: list[str], log: Path, **kw) -> subprocess.CompletedProcess:
    """Run a set-up command; on failure raise with its output (kept in *log* too)."""
    done = subprocess.run(args, capture_output=True, text=True, **kw)
    with log.open("a") as fh:
        fh.write(f"$ {' '.join(args)}\n{done.stdout}{done.stderr}")
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n"
                           f"{(done.stdout + done.stderr)[-3000:]}")
    return done


class _Server:
    """A server process on 127.0.0.1:``port`` with Basic-auth credentials ``key``/``secret``."""

    url: str
    key: str
    secret: str
    port: int
    workdir: Path
    log: Path
    health_path: str
    #: Query of the first ``statements()`` page, oldest stored first.
    page_query: dict[str, str | int]
    proc: subprocess.Popen | None = None

    # -- process ------------------------------------------------------------------------
    def _command(self) -> list[str]:
        raise NotImplementedError

    def _env(self) -> dict[str, str]:
        raise NotImplementedError

    def _cwd(self) -> Path:
        return self.workdir

    def start(self) -> None:
        """Start the server (again, on the same port and store) and wait until it answers."""
        if self.proc is not None and self.proc.poll() is None:
            return
        with self.log.open("a") as out:
            out.write(f"--- starting on port {self.port}\n")
            out.flush()
            self.proc = subprocess.Popen(self._command(), env=self._env(), cwd=self._cwd(),
                                         stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        url = f"http://127.0.0.1:{self.port}{self.health_path}"
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{type(self).__name__} exited with {self.proc.returncode} "
                                   f"before answering {url}; its output:\n{_tail(self.log)}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, http.client.HTTPException):  # HTTPError is an OSError
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{type(self).__name__}: {url} did not answer 200 within "
                           f"{READY_TIMEOUT:g} s; its output:\n{_tail(self.log)}")

    def stop(self) -> None:
        """Terminate the server; ``port`` stays, so ``start()`` comes back at the same URL."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(40)  # gunicorn lets a stalled request finish (≤ 30 s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- xAPI ---------------------------------------------------------------------------
    def auth_header(self) -> str:
        return "Basic " + base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()

    def headers(self) -> dict[str, str]:
        return {"Authorization": self.auth_header(), "X-Experience-API-Version": XAPI_VERSION}

    def _get_json(self, url: str) -> dict:
        request = urllib.request.Request(url, headers=self.headers())
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def statements(self) -> list[dict]:
        """Every statement the LRS holds, in stored order (oldest first; follows ``more``)."""
        found: list[dict] = []
        url = self.url + "statements?" + urllib.parse.urlencode(self.page_query)
        while url:
            body = self._get_json(url)
            found += body["statements"]
            more = body.get("more")
            url = urllib.parse.urljoin(self.url, more) if more else ""
        return found


class RalphServer(_Server):
    """Ralph 4.2.0 (filesystem backend) under uvicorn, one user allowed everything."""

    health_path = "/__lbheartbeat__"
    # Ralph's fs backend yields the JSON-lines file in written order; its ``ascending`` is
    # not a sort but a reversal of each page (and any value, even "false", counts as true):
    # never send it. ``limit`` is capped at RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT (100).
    page_query = {"limit": 100}

    def __init__(self, workdir: Path, key: str = "forwarder", secret: str = "forwarder-secret"):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        self.key, self.secret = key, secret
        self.store = self.workdir / "ralph-store"
        self.auth_file = self.workdir / "ralph-auth.json"
        self.log = self.workdir / "ralph.log"
        self.venv: Path | None = None

    def _env(self) -> dict[str, str]:
        return {**os.environ, "RALPH_RUNSERVER_BACKEND": "fs",
                "RALPH_AUTH_FILE": str(self.auth_file),
                "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.store),
                "RALPH_APP_DIR": str(self.workdir / "ralph-app")}

    def _command(self) -> list[str]:
        return [str(self.venv / "bin" / "python"), str(ROOT / "tools" / "ralph_server.py"),
                "127.0.0.1", str(self.port)]

    def __enter__(self) -> RalphServer:
        self.store.mkdir(parents=True, exist_ok=True)
        self.venv = Path(_run([sys.executable, str(ROOT / "tools" / "ensure_ralph.py")],
                              self.log).stdout.strip())
        if not self.auth_file.exists():
            # Scope "all" covers statements/write and statements/read (every statement).
            _run([str(self.venv / "bin" / "ralph"), "auth", "-u", self.key, "-p", self.secret,
                  "-s", "all", "-M", f"mailto:{self.key}@lrs.example", "-w"], self.log,
                 env=self._env(), cwd=self.workdir)
        self.start()
        return self

    def arrival_order(self) -> list[dict]:
        """The statements in the order Ralph wrote them (its JSON-lines file, appended to)."""
        lines: list[dict] = []
        for path in sorted(self.store.glob("*.jsonl")):
            lines += [json.loads(line) for line in path.read_text().splitlines() if line]
        return lines


class LmsLrsServer(_Server):
    """A second instance of this LMS under gunicorn (2 workers) on its own SQLite database."""

    health_path = "/healthz"
    page_query = {"limit": 500, "ascending": "true"}  # 500: the LMS's largest page

    def __init__(self, workdir: Path, fault_file: Path | None = None,
                 key: str = "fwd", secret: str = "fwd-secret"):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xapi/"
        self.key, self.secret = key, secret
        self.fault_file = Path(fault_file) if fault_file else self.workdir / "fault"
        self.database = self.workdir / "lrs.sqlite3"
        self.log = self.workdir / "gunicorn.log"

    def _env(self) -> dict[str, str]:
        # Nothing of the caller's LMS_* settings leaks in (a test database, forwarding, …).
        env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
        env.update({"LMS_DATABASE_URL": f"sqlite:///{self.database}",
                    "LMS_SECRET_KEY": "second-lrs-secret-key-for-tests",
                    "LMS_MAIL_OUTBOX": str(self.workdir / "outbox"),
                    "LMS_BASE_URL": f"http://127.0.0.1:{self.port}",
                    "LMS_XAPI_FAULT_FILE": str(self.fault_file)})
        return env

    def _cwd(self) -> Path:
        return ROOT

    def _command(self) -> list[str]:
        return [str(BIN / "gunicorn"), "-c", "python:lms.gunicorn_conf", "--no-control-socket",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "lms:create_app()"]

    def flask(self, *args: str) -> str:
        """Run ``flask --app lms ARGS`` against this instance's database; return stdout."""
        return _run([str(BIN / "flask"), "--app", "lms", *args], self.log, env=self._env(),
                    cwd=ROOT).stdout

    def __enter__(self) -> LmsLrsServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.set_fault("")
        self.flask("db", "upgrade")
        self.flask("lms", "lrs-client", "create", "forwarder", "--key", self.key,
                   "--secret", self.secret)
        self.start()
        return self

    def set_fault(self, text: str) -> None:
        """``5xx``: answer 503; ``stall N``: sleep N seconds first; empty: healthy.

        The LRS reads the file on each /xapi/ request, so this takes effect at once.
        """
        self.fault_file.write_text(text)
