"""xAPI ingest and query: the LMS's LRS under gunicorn vs Ralph 4.2.0, on loopback, in one run.

Prints statements/s POSTed in batches of 100 and one per request, into the LMS's ``/xapi/``
and into Ralph (filesystem backend, ``tests/xapi/servers.py``), then p50/p95 of filtered GETs
on the LMS's store once ``flask lms xapi-seed`` has added 1,000,000 statements.
Targets on 2 cores: ≥ 3,000 statements/s batched, ≥ 300/s single, filtered GET p95 ≤ 50 ms.

The LMS runs on PostgreSQL: ``LMS_BENCH_DATABASE_URL`` as given, else a freshly recreated
``lms_bench`` database on ``postgresql://postgres@127.0.0.1:5432/``; SQLite only when
PostgreSQL is unreachable (the output says which). Figures are for reading: the exit status
is 0 whether or not targets are met, non-zero only when something fails (a server that does
not start, a command that fails, a request answered other than 200). Runs take turns (a lock
file): two at once would drop each other's ``lms_bench`` and share the cores.

The load generator is Python threads in this process, one keep-alive connection each; it
reports the CPU it used (about 10 % of one core here), so it is not what limits the figures.

Knobs (environment): BENCH_SECONDS (10), BENCH_STORE_SIZE (1000000), BENCH_QUERIES (200),
BENCH_BATCH_CLIENTS (4), BENCH_SINGLE_CLIENTS (8), BENCH_WORKERS (cores + 1, as production),
BENCH_KEEP_DB=1 keeps ``lms_bench`` afterwards.
"""

from __future__ import annotations

import base64
import fcntl
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))  # the repository root, for tests.xapi.servers

from _harness import BIN, ROOT, free_port, lms_env  # noqa: E402

from tests.xapi.servers import RalphServer  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", 10))
WARMUP = 2.0
STORE_SIZE = int(os.environ.get("BENCH_STORE_SIZE", 1_000_000))
QUERIES = int(os.environ.get("BENCH_QUERIES", 200))
BATCH_CLIENTS = int(os.environ.get("BENCH_BATCH_CLIENTS", 4))
SINGLE_CLIENTS = int(os.environ.get("BENCH_SINGLE_CLIENTS", 8))
WORKERS = int(os.environ.get("BENCH_WORKERS", (os.cpu_count() or 1) + 1))
PG_SERVER = "postgresql://postgres@127.0.0.1:5432/"

HOME = "http://bench.example"
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = ("passed", "failed", "attempted", "answered")
AGENTS, ACTIVITIES = 2000, 50  # as flask lms xapi-seed makes them
TARGET_BATCH, TARGET_SINGLE, TARGET_P95 = 3000, 300, 50.0


# -- statements ------------------------------------------------------------------------------
def statement(rng: random.Random) -> dict:
    """A valid xAPI 1.0.3 statement about one of the seed's agents and activities."""
    verb = rng.choice(VERBS)
    activity = rng.randrange(ACTIVITIES)
    body = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent",
                  "account": {"homePage": HOME, "name": f"agent-{rng.randrange(AGENTS)}"}},
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": f"{HOME}/activities/{activity}",
                   "definition": {"name": {"ja-JP": f"設問 {activity}", "en-US": f"Question "
                                           f"{activity}"}}},
        "context": {"registration": str(uuid.uuid4())},
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }
    if verb in ("passed", "failed"):
        body["result"] = {"success": verb == "passed", "score": {"scaled": rng.random()}}
    return body


# -- load generator --------------------------------------------------------------------------
def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, round(p * len(sorted_values)) - 1))]


@dataclass
class Ingest:
    name: str
    batch: int
    clients: int
    seconds: float
    stored: int = 0
    errors: int = 0
    first_error: str = ""
    latencies: list[float] = field(default_factory=list)
    client_cpu: float = 0.0  # seconds of CPU the load generator itself used

    @property
    def rate(self) -> float:
        return self.stored / self.seconds

    def line(self) -> str:
        lat = sorted(self.latencies)
        return (f"{self.name:<40} {self.rate:>8.0f} statements/s   request p50 "
                f"{percentile(lat, .5):6.1f} ms p95 {percentile(lat, .95):6.1f} ms   "
                f"errors {self.errors}   client {self.client_cpu / self.seconds:4.0%} of a core"
                + (f"\n{'':<40} first error: {self.first_error}" if self.first_error else ""))


def ingest(name: str, url: str, auth: str, batch: int, clients: int,
           seconds: float) -> Ingest:
    """POST for *seconds* from *clients* threads, each on its own keep-alive connection.

    Bodies are built in the timed loop (fresh ids); building 100 statements costs well under a
    millisecond, and the CPU the generator used is reported so that a saturated client shows.
    """
    parsed = urllib.parse.urlsplit(url)
    path = parsed.path.rstrip("/") + "/statements"
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3",
               "Content-Type": "application/json"}
    result = Ingest(name, batch, clients, seconds)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(parsed.netloc, timeout=60)
        stored = errors = 0
        first_error = ""
        latencies: list[float] = []
        start.wait()
        while time.monotonic() < deadline[0]:
            body = [statement(rng) for _ in range(batch)] if batch > 1 else statement(rng)
            began = time.perf_counter()
            try:
                conn.request("POST", path, body=json.dumps(body).encode(), headers=headers)
                response = conn.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors += 1
                first_error = first_error or f"{type(exc).__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection(parsed.netloc, timeout=60)
                continue
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status == 200:
                stored += batch
            else:
                errors += 1
                first_error = first_error or f"HTTP {response.status} {answer[:200]!r}"
        conn.close()
        with lock:
            result.stored += stored
            result.errors += errors
            result.latencies += latencies
            result.first_error = result.first_error or first_error

    threads = [threading.Thread(target=worker, args=(random.randrange(2**32),))
               for _ in range(clients)]
    for t in threads:
        t.start()
    cpu, began = time.process_time(), time.monotonic()
    deadline[0] = began + seconds
    start.wait()
    for t in threads:
        t.join()
    result.client_cpu = time.process_time() - cpu
    # Requests in flight at the deadline finish after it: divide by the whole window.
    result.seconds = time.monotonic() - began
    return result


def measure(name: str, url: str, auth: str, batch: int, clients: int) -> Ingest:
    ingest(name, url, auth, batch, clients, WARMUP)  # connections, caches, JIT-free warm-up
    figures = ingest(name, url, auth, batch, clients, SECONDS)
    print(figures.line(), flush=True)
    return figures


# -- filtered GETs ---------------------------------------------------------------------------
def filtered_gets(host: str, auth: str) -> dict[str, tuple[float, float, int]]:
    """Sequential GETs on one keep-alive connection: name → (p50 ms, p95 ms, non-empty)."""
    conn = http.client.HTTPConnection(host, timeout=60)
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3"}
    rng = random.Random(2026)

    def agent_verb() -> dict:
        agent = {"objectType": "Agent",
                 "account": {"homePage": HOME, "name": f"agent-{rng.randrange(AGENTS)}"}}
        return {"agent": json.dumps(agent), "verb": ADL + "answered", "limit": 10}

    def activity() -> dict:
        return {"activity": f"{HOME}/activities/{rng.randrange(ACTIVITIES)}", "limit": 10}

    def registration() -> dict:
        return {"registration": str(uuid.uuid4()), "limit": 10}

    figures = {}
    for name, make in (("agent + verb answered", agent_verb), ("activity", activity),
                       ("registration (informational)", registration)):
        latencies, non_empty = [], 0
        for i in range(QUERIES + 10):
            path = "/xapi/statements?" + urllib.parse.urlencode(make())
            began = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - began) * 1000
            if response.status != 200:
                raise RuntimeError(f"GET {path} answered {response.status}: {body[:300]!r}")
            if i >= 10:  # the first ten warm connections and caches
                latencies.append(elapsed)
                non_empty += bool(json.loads(body)["statements"])
        latencies.sort()
        figures[name] = (statistics.median(latencies), percentile(latencies, .95), non_empty)
    conn.close()
    return figures


# -- the LMS ---------------------------------------------------------------------------------
def database() -> tuple[str, str, bool]:
    """(database URL or "" for SQLite, description, whether we created lms_bench)."""
    if os.environ.get("LMS_BENCH_DATABASE_URL"):
        url = os.environ["LMS_BENCH_DATABASE_URL"]
        kind = "PostgreSQL" if url.startswith("postgresql") else url.split(":", 1)[0]
        return url, f"{kind} from LMS_BENCH_DATABASE_URL (used as is, not emptied)", False
    try:
        import psycopg

        with psycopg.connect(PG_SERVER + "postgres", autocommit=True,
                             connect_timeout=3) as conn:
            conn.execute("DROP DATABASE IF EXISTS lms_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE lms_bench")
            version = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:  # any failure here means: no PostgreSQL to use
        return "", f"SQLite (PostgreSQL unreachable: {type(exc).__name__}: {exc})", False
    return PG_SERVER + "lms_bench", f"PostgreSQL {version}, fresh database lms_bench", True


def drop_bench_database() -> None:
    import psycopg

    with psycopg.connect(PG_SERVER + "postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute("DROP DATABASE IF EXISTS lms_bench WITH (FORCE)")


def flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([os.path.join(BIN, "flask"), "--app", "lms", *args], env=env,
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed ({done.returncode}):\n"
                           f"{(done.stdout + done.stderr)[-3000:]}")
    return done.stdout


@contextmanager
def lms_server(env: dict[str, str], log: Path):
    """gunicorn as in production (lms.gunicorn_conf), output to *log*; yields host:port.

    Like _harness.gunicorn, but the output goes to a file: a pipe nobody reads would block
    the workers once error tracebacks fill it under load.
    """
    port = free_port()
    with log.open("a") as out:
        proc = subprocess.Popen(
            [os.path.join(BIN, "gunicorn"), "-c", "python:lms.gunicorn_conf",
             "--no-control-socket", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
             "lms:create_app()"], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not come up: " + log.read_text()[-3000:])
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(40)
        except subprocess.TimeoutExpired:
            proc.kill()


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


# -- main ------------------------------------------------------------------------------------
@contextmanager
def one_run_at_a_time():
    """Two runs would drop each other's lms_bench and share the cores: the second one waits."""
    path = os.path.join(tempfile.gettempdir(), "coordinator-lms-xapi-bench.lock")
    with open(path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("another xapi_ingest run is going on; waiting for it to finish", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def main() -> int:
    with one_run_at_a_time():
        return run()


def run() -> int:
    results: dict[str, Ingest] = {}
    began = time.monotonic()
    url, which, created = database()
    print(f"xapi_ingest: {os.cpu_count()} cores; LMS on {which}; gunicorn {WORKERS} workers "
          f"(gthread, lms.gunicorn_conf); {SECONDS:g} s per figure after {WARMUP:g} s warm-up; "
          f"load from Python threads with keep-alive connections ({BATCH_CLIENTS} for batches, "
          f"{SINGLE_CLIENTS} for singles) in this process", flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="lms-xapi-bench-") as tmp:
            workdir = Path(tmp)
            env = lms_env(tmp, LMS_DATABASE_URL=url or f"sqlite:///{tmp}/bench.sqlite3",
                          LMS_BASE_URL="http://127.0.0.1", LMS_XAPI_FORWARD_URL="")
            flask(env, "db", "upgrade")
            flask(env, "lms", "lrs-client", "create", "bench", "--key", "bench",
                  "--secret", "bench-secret")
            lms_auth = basic("bench", "bench-secret")

            print("\ningest (POST /statements)", flush=True)
            with lms_server(env, workdir / "gunicorn.log") as host:
                lms_url = f"http://{host}/xapi/"
                results["lms batch"] = measure("LMS, batches of 100", lms_url, lms_auth, 100,
                                               BATCH_CLIENTS)
                results["lms single"] = measure("LMS, one statement per POST", lms_url,
                                                lms_auth, 1, SINGLE_CLIENTS)
            # A fresh Ralph per figure: its filesystem backend re-reads the whole JSON-lines
            # file on every POST (duplicate check), so it slows as the file grows.
            for key, batch, clients, label in (
                    ("ralph batch", 100, BATCH_CLIENTS, "batches of 100"),
                    ("ralph single", 1, SINGLE_CLIENTS, "one statement per POST")):
                with RalphServer(workdir / key.replace(" ", "-")) as ralph:
                    results[key] = measure(f"Ralph 4.2.0 (fs), {label}", ralph.url,
                                           ralph.auth_header(), batch, clients)
            ingest_time = time.monotonic() - began
            for figures in results.values():
                if figures.client_cpu / figures.seconds > 0.7:
                    print(f"note: the load generator used most of a core for {figures.name}; "
                          "that figure may be limited by the client", flush=True)

            print(f"\nseeding {STORE_SIZE:,} statements (flask lms xapi-seed) …", flush=True)
            seeded_at = time.monotonic()
            flask(env, "lms", "xapi-seed", "--count", str(STORE_SIZE))
            seed_time = time.monotonic() - seeded_at
            held = STORE_SIZE + results["lms batch"].stored + results["lms single"].stored
            print(f"seeded in {seed_time:.0f} s; the store holds about {held:,} statements "
                  f"(plus warm-up)", flush=True)

            print(f"\nfiltered GET /xapi/statements (limit 10, {QUERIES} sequential requests "
                  "each, random agents/activities)", flush=True)
            query_began = time.monotonic()
            with lms_server(env, workdir / "gunicorn.log") as host:
                gets = filtered_gets(host, lms_auth)
            for name, (p50, p95, non_empty) in gets.items():
                print(f"  {name:<30} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   "
                      f"({non_empty}/{QUERIES} non-empty)", flush=True)
            query_time = time.monotonic() - query_began
    finally:
        if created and not os.environ.get("BENCH_KEEP_DB"):
            drop_bench_database()

    required = {k: v for k, v in gets.items() if "informational" not in k}
    worst_name, (_, worst, _) = max(required.items(), key=lambda kv: kv[1][1])
    checks = (
        ("batched ingest (LMS)", f"{results['lms batch'].rate:,.0f} statements/s",
         f"≥ {TARGET_BATCH:,}", results["lms batch"].rate >= TARGET_BATCH),
        ("single ingest (LMS)", f"{results['lms single'].rate:,.0f} statements/s",
         f"≥ {TARGET_SINGLE:,}", results["lms single"].rate >= TARGET_SINGLE),
        ("filtered GET p95", f"{worst:.1f} ms ({worst_name})", f"≤ {TARGET_P95:g} ms",
         worst <= TARGET_P95),
    )
    print(f"\nsummary ({os.cpu_count()} cores, LMS on {which.split(',')[0]}; Ralph for "
          f"comparison: {results['ralph batch'].rate:,.0f} batched, "
          f"{results['ralph single'].rate:,.0f} single statements/s)")
    for label, value, target, met in checks:
        print(f"  {label:<22} {value:<40} target {target:<18} {'MET' if met else 'NOT MET'}")
    print(f"  time: ingest {ingest_time:.0f} s, seed {seed_time:.0f} s (not counted), "
          f"queries {query_time:.0f} s")
    errors = sum(r.errors for r in results.values())
    if errors:
        print(f"  ERROR: {errors} requests failed during ingest (see 'first error' above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
