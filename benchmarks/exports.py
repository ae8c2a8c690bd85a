"""Exports of 10,000 rows: time and peak memory of every exportable table, CSV and XLSX, at
two sizes of generated history, to show that the downloads stream with memory flat.

For each size — the same generated histories as ``large_store.py`` (``LMS_BENCH_LARGE_SIZES``,
generated once into /tmp SQLite files; or ``--database URL`` repeatable /
``LMS_BENCH_LARGE_URLS`` for databases already seeded by ``seed_large.py``) — every
registered table (``lms.exports``) is downloaded through the app (Flask test client, the
streamed body consumed chunk by chunk as a browser would) in both formats:

* the time of a download without tracing, and the peak of Python memory allocated during a
  second download (``tracemalloc``), beside the same two for ``/healthz`` (the baseline);
* then how rows, time and peak grew from the smaller size to the larger: the rows ×10, the
  time about ×10 (linear is right for a file of every row), the peak flat.

    python benchmarks/exports.py [--database URL --database URL]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from large_store import DEFAULT_SIZES, seed_if_needed  # noqa: E402

#: a size's peak may grow by this much over the smaller size's and still count as flat
FLAT_MB = 2.0


def download(client, path: str, trace: bool) -> tuple[float, float, int, int]:
    """(seconds, peak MB or 0, bytes, data lines) of one streamed download."""
    gc.collect()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(path, buffered=False)
    size = lines = 0
    for chunk in response.response:
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    response.close()
    elapsed = time.perf_counter() - started
    peak = 0.0
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return elapsed, peak, size, max(lines - 1, 0)


def measure(url: str) -> dict[str, tuple]:
    from lms import create_app
    from lms.auth.services import NewAccount, create_account, find_user
    from lms.exports import tables
    from lms.extensions import db
    from lms.security import Role

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-exports",
                      "WTF_CSRF_ENABLED": False, "MAIL_OUTBOX": "/tmp/lms-bench-exports-outbox"})
    with app.app_context():
        if find_user("bench-admin@example.jp") is None:
            create_account(None, NewAccount("bench-admin@example.jp", "事務局",
                                            frozenset({Role.ADMIN})), password="bench-pass-123")
            db.session.commit()
        from lms.cohorts.models import Enrolment

        trainees = db.session.scalar(db.select(db.func.count()).select_from(Enrolment))
        counts = db.session.execute(db.select(Enrolment.cohort_id, db.func.count())
                                    .group_by(Enrolment.cohort_id)).all()
        # the trainee table is exported per cohort: the one closest to 60 trainees
        cohort_id = min(counts, key=lambda c: abs(c[1] - 60))[0] if counts else 0
    client = app.test_client()
    client.post("/auth/login", data={"email": "bench-admin@example.jp",
                                     "password": "bench-pass-123"})
    client.get("/admin/exports/")  # every table registered, caches warm
    results: dict[str, tuple] = {"_size": (trainees,)}
    paths = {"baseline /healthz": "/healthz"}
    for name in sorted(tables()):
        for fmt in ("csv", "xlsx"):
            query = f"?cohort={cohort_id}" if name == "trainees" else ""
            paths[f"{name}.{fmt}"] = f"/admin/exports/{name}.{fmt}{query}"
    for label, path in paths.items():
        download(client, path, trace=False)  # warm
        seconds, _, size, lines = download(client, path, trace=False)
        _, peak, _, _ = download(client, path, trace=True)
        results[label] = (seconds, peak, size, lines)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", action="append", default=[])
    parser.add_argument("--sizes", default=os.environ.get("LMS_BENCH_LARGE_SIZES",
                                                          DEFAULT_SIZES),
                        help="trainees:cohorts:statements,… for generated SQLite files")
    args = parser.parse_args()
    urls = args.database or [u for u in os.environ.get("LMS_BENCH_LARGE_URLS", "").split(",")
                             if u]
    if not urls:
        urls = [seed_if_needed(*map(int, size.split(":"))) for size in args.sizes.split(",")]
    runs = [measure(url) for url in urls]
    print("exports, streamed through the app; rows = CSV data lines (XLSX: the same rows); "
          "peak = Python memory allocated during the download (tracemalloc)")
    print(f"{'table.format':<22}" + "".join(
        f"{r['_size'][0]:>7,} trainees: rows     time    peak   size      " for r in runs))
    ok = True
    for label in (n for n in runs[0] if n != "_size"):
        line = f"{label:<22}"
        for r in runs:
            seconds, peak, size, lines = r[label]
            rows = lines if label.endswith(".csv") else r.get(
                label.replace(".xlsx", ".csv"), (0, 0, 0, 0))[3]
            line += (f"{rows:>21,} {seconds * 1000:7.0f} ms {peak:5.1f} MB "
                     f"{size / 2**20:5.1f} MB   ")
        if len(runs) > 1:
            small, large = runs[0][label], runs[-1][label]
            grew = large[1] - small[1]
            flat = grew <= FLAT_MB
            ok &= flat
            line += (f"time ×{large[0] / max(small[0], 1e-6):.1f}, peak "
                     f"{'+' if grew >= 0 else ''}{grew:.1f} MB ({'flat' if flat else 'GROWS'})")
        print(line, flush=True)
    if len(runs) > 1:
        print(f"memory flat (each peak within +{FLAT_MB} MB of the smaller size's): "
              f"{'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
