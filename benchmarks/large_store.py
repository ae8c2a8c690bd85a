"""Office pages and statement queries on generated national-scale data, at two sizes.

For each database (``--database URL``, repeatable, each already filled by ``seed_large.py``;
without one, ``LMS_BENCH_LARGE_URLS`` comma-separated; without that, two SQLite files are
generated here at ``--sizes``), time in-process (Flask test client, no network) with the
baseline ``/healthz`` in the same run:

* the cohort dashboard for a ~60-trainee cohort (cohort page, practice queue, applications,
  the trainees-to-follow-up table);
* programme-wide views (the programme view, certificate registry, certification readiness,
  all users);
* filtered statement queries on the store (the LRS by agent, by verb and activity; the admin
  statement browser by verb).

and print p50/p95 per page and size, then how each grew from the smaller size to the larger.
Exports are measured by ``exports.py`` on the same generated files.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: what ``make bench`` generates by default (SQLite, once, cached in /tmp): the same ×10 growth
#: as national scale at a tenth of the statements, so that it stays within minutes. The full
#: 10 k / 5 M run: seed two PostgreSQL databases and set LMS_BENCH_LARGE_URLS (README).
DEFAULT_SIZES = "1000:15:50000,10000:150:500000"
TARGETS_MS = {"cohort dashboard": 100, "programme": 500, "statements": 50}


def timed(client, path: str, headers=None, runs: int = 20) -> tuple[float, float, int]:
    for _ in range(3):
        response = client.get(path, headers=headers)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], response.status_code


def measure(url: str, runs: int, only: str = "") -> dict[str, tuple[float, float, int]]:
    from lms import create_app
    from lms.auth.services import NewAccount, create_account, find_user
    from lms.cohorts.models import Cohort, Enrolment
    from lms.extensions import db
    from lms.lrs import clients
    from lms.lrs.models import LrsClient
    from lms.security import Role
    from lms.xapi.models import Statement

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-large",
                      "WTF_CSRF_ENABLED": False, "MAIL_OUTBOX": "/tmp/lms-bench-large-outbox"})
    with app.app_context():
        if find_user("bench-admin@example.jp") is None:
            create_account(None, NewAccount("bench-admin@example.jp", "事務局",
                                            frozenset({Role.ADMIN})), password="bench-pass-123")
        if db.session.execute(db.select(LrsClient).filter_by(key="bench")).first() is None:
            clients.create(None, "bench", key="bench", secret="bench-secret")
        db.session.commit()
        counts = db.session.execute(
            db.select(Enrolment.cohort_id, db.func.count()).group_by(Enrolment.cohort_id)).all()
        cohort_id = min(counts, key=lambda c: abs(c[1] - 60))[0]
        cohort_size = dict(counts)[cohort_id]
        trainees = db.session.scalar(db.select(db.func.count()).select_from(Enrolment))
        statements = db.session.scalar(db.select(db.func.max(Statement.seq))) or 0
        sample = db.session.execute(db.select(Statement.payload).order_by(
            Statement.seq.desc()).limit(1)).scalar_one()
        cohorts = db.session.scalar(db.select(db.func.count()).select_from(Cohort))
    agent = urllib.parse.quote(json.dumps(sample["actor"]))
    verb = urllib.parse.quote(sample["verb"]["id"])
    activity = urllib.parse.quote(sample["object"]["id"])
    lrs = {"Authorization": "Basic " + base64.b64encode(b"bench:bench-secret").decode(),
           "X-Experience-API-Version": "1.0.3"}
    client = app.test_client()
    client.post("/auth/login", data={"email": "bench-admin@example.jp",
                                     "password": "bench-pass-123"})
    pages = {
        "baseline /healthz": ("/healthz", None),
        "cohort dashboard: cohort page": (f"/admin/cohorts/{cohort_id}", None),
        "cohort dashboard: practice queue": (
            f"/staff/practice/?cohort={cohort_id}&status=accepted", None),
        "cohort dashboard: applications": (f"/admin/applications/cohorts/{cohort_id}", None),
        "cohort dashboard: trainees to follow up": (f"/admin/office/?cohort={cohort_id}", None),
        "programme: programme view": ("/admin/office/programme", None),
        "programme: certificate registry": ("/admin/certificates/registry", None),
        "programme: certification readiness": ("/certification/readiness", None),
        "programme: users": ("/admin/users", None),
        "statements: LRS by agent": (f"/xapi/statements?agent={agent}&limit=50", lrs),
        "statements: LRS by verb+activity": (
            f"/xapi/statements?verb={verb}&activity={activity}&limit=50", lrs),
        "statements: admin browser by verb": (
            f"/admin/xapi/statements?verb={verb}", None),
    }
    results = {"_size": (trainees, statements, cohorts, cohort_size)}
    for name, (path, headers) in pages.items():
        if only and only not in name and not name.startswith("baseline"):
            continue
        results[name] = timed(client, path, headers, runs)
    return results


def seed_if_needed(trainees: int, cohorts: int, statements: int) -> str:
    path = Path(f"/tmp/lms-large-{trainees}-{statements}.sqlite3")
    marker = path.with_suffix(".done")
    url = f"sqlite:///{path}"
    if not marker.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "seed_large.py"),
                        "--trainees", str(trainees), "--cohorts", str(cohorts),
                        "--statements", str(statements), "--database", url], check=True)
        marker.touch()
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", action="append", default=[])
    parser.add_argument("--sizes", default=os.environ.get(
        "LMS_BENCH_LARGE_SIZES", DEFAULT_SIZES),
        help="trainees:cohorts:statements,… for generated SQLite files")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="measure only the pages whose name has this")
    args = parser.parse_args()
    urls = args.database or [u for u in os.environ.get("LMS_BENCH_LARGE_URLS", "").split(",")
                             if u]
    if not urls:
        urls = [seed_if_needed(*map(int, size.split(":"))) for size in args.sizes.split(",")]
    runs = [measure(url, args.runs, args.only) for url in urls]
    print(f"{'page':<44}" + "".join(
        f"{r['_size'][0]:>7,} tr / {r['_size'][1]:>9,} st     " for r in runs))
    print("(cohort dashboard on a cohort of " + " / ".join(
        str(r["_size"][3]) for r in runs) + " trainees)")
    names = [n for n in runs[0] if n != "_size"]
    for name in names:
        line = f"{name:<44}"
        for r in runs:
            p50, p95, status = r[name]
            line += f"p50 {p50:7.1f} p95 {p95:7.1f} ms {status}  "
        if len(runs) > 1:
            growth = runs[-1][name][1] / max(runs[0][name][1], 0.001)
            line += f"p95 ×{growth:.2f}"
        target = next((t for k, t in TARGETS_MS.items() if name.startswith(k)), None)
        if target:
            worst = max(r[name][1] for r in runs)
            line += f"  (target ≤ {target} ms: {'ok' if worst <= target else 'OVER'})"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
