"""Shared benchmark plumbing: a prepared database, gunicorn on loopback, and a load generator."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lms_env(workdir: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "LMS_DATABASE_URL": os.environ.get("LMS_BENCH_DATABASE_URL")
        or f"sqlite:///{workdir}/bench.sqlite3",
        "LMS_SECRET_KEY": "benchmark-secret-key-not-for-production",
        "LMS_MAIL_OUTBOX": f"{workdir}/outbox",
        "FLASK_APP": "lms",
    })
    env.update(extra)
    return env


def prepare_database(env: dict[str, str]) -> None:
    flask = os.path.join(BIN, "flask")
    # as `make demo`: the lectures and tests first, so the demo trainees have progress
    for args in (["db", "upgrade"], ["content", "sync"], ["lms", "demo"]):
        subprocess.run([flask, "--app", "lms", *args], env=env, cwd=ROOT, check=True,
                       capture_output=True)


class Host(str):
    """``host:port`` of a started server; ``pid`` is its gunicorn master's."""

    pid: int


def server_cpu_seconds(host: Host) -> float | None:
    """CPU time (user + system) the server's processes (master and workers) have used so
    far, from /proc: what a page costs whatever else the machine runs. None off Linux."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    try:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(entry) == host.pid or int(fields[1]) == host.pid:
                total += (int(fields[11]) + int(fields[12])) / ticks
    except OSError:
        return None
    return total


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 3):
    port = free_port()
    proc = subprocess.Popen(
        [os.path.join(BIN, "gunicorn"), "-c", "python:lms.gunicorn_conf", "--no-control-socket",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "lms:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start: " + proc.stderr.read().decode()[-2000:])
        host = Host(f"127.0.0.1:{port}")
        host.pid = proc.pid
        yield host
    finally:
        proc.terminate()
        proc.wait(10)


def login_cookie(host: str, email: str, password: str) -> str:
    """Log in through the real form (CSRF included) and return the session cookie header."""
    conn = http.client.HTTPConnection(host)
    conn.request("GET", "/auth/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = f"csrf_token={token}&email={email}&password={password}"
    conn.request("POST", "/auth/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"login failed: {response.status}")
    return response.getheader("Set-Cookie").split(";")[0]


@dataclass
class Figures:
    name: str
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    errors: int
    tool: str
    #: requests that had no answer within the load tool's timeout (10 s), or a socket error
    timeouts: int = 0

    def line(self) -> str:
        return (f"{self.name:<28} {self.requests_per_s:>9.1f} req/s   p50 {self.p50_ms:>7.2f} ms"
                f"   p95 {self.p95_ms:>7.2f} ms   non-2xx {self.errors}"
                + (f", no answer {self.timeouts}" if self.timeouts else "") + f"  ({self.tool})")


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    "JSON{\\"rps\\":%f,\\"p50\\":%f,\\"p95\\":%f,\\"non2xx\\":%d,\\"noanswer\\":%d}\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.errors.status, summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


#: a request() that sends *method* with the bodies in turn (an autosave that changes each time)
WRK_BODIES = """
local bodies = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("%s", nil, nil, bodies[(n %% #bodies) + 1])
end
"""


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load(name: str, host: str, path: str, headers: dict[str, str], connections: int = 32,
         seconds: int = 10, method: str = "GET", bodies: list[str] | None = None) -> Figures:
    """Drive *path* with *connections* keep-alive connections for *seconds* (a GET, or
    *method* sending *bodies* in turn)."""
    if shutil.which("wrk"):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
            sender = WRK_BODIES % (", ".join(map(_lua_string, bodies)), method) if bodies else ""
            fh.write(sender + WRK_SCRIPT)
        # wrk's own timeout (2 s) would count a slow answer as an error, not as latency
        args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                "-s", fh.name]
        for key, value in headers.items():
            args += ["-H", f"{key}: {value}"]
        out = subprocess.run(args + [f"http://{host}{path}"], capture_output=True, text=True,
                             check=True).stdout
        os.unlink(fh.name)
        data = json.loads(out.split("JSON", 1)[1].splitlines()[0])
        return Figures(name, data["rps"], data["p50"], data["p95"], data["non2xx"], "wrk",
                       data["noanswer"])
    return _python_load(name, host, path, headers, connections, seconds, method, bodies)


def _python_load(name, host, path, headers, connections, seconds, method="GET",
                 bodies=None) -> Figures:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.time() + seconds

    def worker():
        conn = http.client.HTTPConnection(host)
        mine = []
        while time.time() < stop:
            started = time.perf_counter()
            body = bodies[len(mine) % len(bodies)] if bodies else None
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status >= 300:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    return Figures(name, len(latencies) / seconds, statistics.median(latencies), p95, errors[0],
                   "python threads (install wrk for sharper figures)")
