"""Trainee home page vs a bare route, same gunicorn configuration, same run.

Target (2 cores, 32 connections): home ≥ 30 % of the bare route's requests/s, home p95 ≤ 50 ms.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import gunicorn, lms_env, load, login_cookie, prepare_database  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 32))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lms-bench-") as workdir:
        env = lms_env(workdir)
        prepare_database(env)
        with gunicorn(env) as host:
            cookie = login_cookie(host, "trainee1@demo.example", "demo-pass-2026")
            load("warm-up", host, "/trainee/", {"Cookie": cookie}, CONNECTIONS, 2)
            bare = load("bare route /livez", host, "/livez", {}, CONNECTIONS, SECONDS)
            home = load("trainee home /trainee/", host, "/trainee/", {"Cookie": cookie},
                        CONNECTIONS, SECONDS)
    print(f"home_page benchmark: {CONNECTIONS} connections, {SECONDS} s each, "
          f"{os.cpu_count()} cores")
    print(bare.line())
    print(home.line())
    ratio = home.requests_per_s / bare.requests_per_s if bare.requests_per_s else 0.0
    print(f"ratio home/bare: {ratio:.1%} (target ≥ 30 %)   home p95: {home.p95_ms:.1f} ms "
          f"(target ≤ 50 ms)")


if __name__ == "__main__":
    main()
