"""xAPI ingest and query: the LMS's LRS under gunicorn vs Ralph, on loopback, in one run.

Prints statements/s for batches of 100 and for single statements into each LRS, then the
p50/p95 of filtered GETs on the LMS's store holding 1,000,000 statements.
Targets on 2 cores: ≥ 3,000 statements/s batched, ≥ 300/s single, filtered GET p95 ≤ 50 ms.
The LMS runs on PostgreSQL (``LMS_BENCH_DATABASE_URL``, or a fresh ``lms_bench`` database on
the local server); SQLite only if PostgreSQL is unreachable. Asserts nothing.
"""

from __future__ import annotations

import base64
import http.client
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from _harness import BIN, ROOT, gunicorn, lms_env  # noqa: E402

from tests.xapi.servers import RalphServer  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", 10))
STORE_SIZE = int(os.environ.get("BENCH_STORE_SIZE", 1_000_000))
QUERIES = int(os.environ.get("BENCH_QUERIES", 200))
HOME = "http://bench.example"


def statement() -> dict:
    return {"id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "account": {
                "homePage": HOME, "name": f"agent-{random.randrange(2000)}"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered",
                     "display": {"en-US": "answered"}},
            "object": {"objectType": "Activity",
                       "id": f"{HOME}/activities/{random.randrange(50)}",
                       "definition": {"name": {"ja-JP": "設問"}}},
            "result": {"success": True, "score": {"scaled": 0.8}},
            "context": {"registration": str(uuid.uuid4())},
            "timestamp": "2026-11-26T10:00:00+00:00"}


def _worker(args) -> tuple[int, int, list[float]]:
    host, path, auth, batch, seconds = args
    conn = http.client.HTTPConnection(host, timeout=60)
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3",
               "Content-Type": "application/json"}
    stored, errors, latencies = 0, 0, []
    stop = time.time() + seconds
    while time.time() < stop:
        body = json.dumps([statement() for _ in range(batch)] if batch > 1 else statement())
        started = time.perf_counter()
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status == 200:
            stored += batch
        else:
            errors += 1
    return stored, errors, latencies


def ingest(name: str, url: str, key: str, secret: str, batch: int, clients: int) -> str:
    parsed = urllib.parse.urlparse(url)
    auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
    path = parsed.path.rstrip("/") + "/statements"
    with multiprocessing.Pool(clients) as pool:  # processes: the client must not be the limit
        pool.map(_worker, [(parsed.netloc, path, auth, batch, 1.0)] * clients)  # warm-up
        results = pool.map(_worker, [(parsed.netloc, path, auth, batch, SECONDS)] * clients)
    stored = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    latencies = sorted(x for r in results for x in r[2])
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else 0
    rate = stored / SECONDS
    return (f"{name:<34} {rate:>9.0f} statements/s   request p95 {p95:7.1f} ms   "
            f"errors {errors}   ({clients} client processes)"), rate


def filtered_gets(host: str, key: str, secret: str) -> dict[str, tuple[float, float]]:
    auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
    conn = http.client.HTTPConnection(host, timeout=60)
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3"}

    def agent_verb():
        agent = {"objectType": "Agent",
                 "account": {"homePage": HOME, "name": f"agent-{random.randrange(2000)}"}}
        return {"agent": json.dumps(agent), "verb": "http://adlnet.gov/expapi/verbs/answered",
                "limit": 10}

    def activity():
        return {"activity": f"{HOME}/activities/{random.randrange(50)}", "limit": 10}

    def registration_miss():
        return {"registration": str(uuid.uuid4()), "limit": 10}

    figures = {}
    for name, make in (("agent + verb", agent_verb), ("activity", activity),
                       ("registration (no match)", registration_miss)):
        latencies = []
        for i in range(QUERIES + 10):
            started = time.perf_counter()
            conn.request("GET", "/xapi/statements?" + urllib.parse.urlencode(make()),
                         headers=headers)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"GET failed: {response.status} {body[:200]!r}")
            if i >= 10:  # the first ten warm the caches
                latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        figures[name] = (statistics.median(latencies),
                         latencies[int(len(latencies) * 0.95) - 1])
    return figures


def database_url() -> tuple[str, str]:
    if os.environ.get("LMS_BENCH_DATABASE_URL"):
        return os.environ["LMS_BENCH_DATABASE_URL"], "PostgreSQL (LMS_BENCH_DATABASE_URL)"
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                             autocommit=True, connect_timeout=3) as conn:
            conn.execute("DROP DATABASE IF EXISTS lms_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE lms_bench")
        return "postgresql://postgres@127.0.0.1:5432/lms_bench", "PostgreSQL (lms_bench)"
    except Exception as exc:  # no server: say so and go on
        return "", f"SQLite (PostgreSQL unreachable: {exc})"


def flask(env: dict[str, str], *args: str) -> str:
    return subprocess.run([os.path.join(BIN, "flask"), "--app", "lms", *args], env=env,
                          cwd=ROOT, check=True, capture_output=True, text=True).stdout


def main() -> None:
    lines, rates = [], {}
    with tempfile.TemporaryDirectory(prefix="lms-xapi-bench-") as workdir:
        url, which = database_url()
        env = lms_env(workdir, **({"LMS_DATABASE_URL": url} if url else {}))
        flask(env, "db", "upgrade")
        flask(env, "lms", "lrs-client", "create", "bench", "--key", "bench",
              "--secret", "bench-secret")
        with gunicorn(env) as host:
            lms_url = f"http://{host}/xapi/"
            line, rates["lms batch"] = ingest("LMS LRS, batches of 100", lms_url, "bench",
                                              "bench-secret", 100, 4)
            lines.append(line)
            line, rates["lms single"] = ingest("LMS LRS, single statements", lms_url, "bench",
                                               "bench-secret", 1, 8)
            lines.append(line)
        with RalphServer(Path(workdir) / "ralph") as ralph:
            line, rates["ralph batch"] = ingest("Ralph 4.2.0 (fs), batches of 100", ralph.url,
                                                ralph.key, ralph.secret, 100, 4)
            lines.append(line)
            line, rates["ralph single"] = ingest("Ralph 4.2.0 (fs), single statements",
                                                 ralph.url, ralph.key, ralph.secret, 1, 8)
            lines.append(line)
        started = time.time()
        flask(env, "lms", "xapi-seed", "--count", str(STORE_SIZE))
        seeded = time.time() - started
        with gunicorn(env) as host:
            gets = filtered_gets(host, "bench", "bench-secret")
    print(f"xapi_ingest benchmark: {os.cpu_count()} cores, {SECONDS:g} s per figure, "
          f"LMS on {which}, gunicorn 3 workers x 4 threads")
    for line in lines:
        print(line)
    print(f"store filled with {STORE_SIZE:,} more statements in {seeded:.0f} s")
    for name, (p50, p95) in gets.items():
        print(f"filtered GET {name:<26} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   "
              f"({QUERIES} requests, limit 10)")
    worst = max(p95 for _, p95 in gets.values())
    print("\ntargets:")
    for label, value, target, unit in (
            ("batched ingest", rates["lms batch"], 3000, "statements/s"),
            ("single ingest", rates["lms single"], 300, "statements/s")):
        print(f"  {label:<16} {value:>8.0f} {unit} (target ≥ {target})  "
              f"{'MET' if value >= target else 'NOT MET'}")
    print(f"  filtered GET p95 {worst:>8.1f} ms (target ≤ 50)  "
          f"{'MET' if worst <= 50 else 'NOT MET'}")


if __name__ == "__main__":
    main()
