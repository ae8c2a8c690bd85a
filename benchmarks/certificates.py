"""Time to issue 60 certificates for a cohort in one action (target: at most 10 s).

Runs in-process on a fresh SQLite database (or LMS_BENCH_DATABASE_URL): 60 trainees whose
committee decision is "certified", then one ``issue_many`` as the administrator's button does,
PDF rendering (WeasyPrint, IPAex) and the commit included. The baseline, in the same run: one
certificate issued alone just before, once WeasyPrint and the font are loaded by a first one
(so 60 should cost about 60 times it, no more).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

COUNT = 60
TARGET_SECONDS = 10.0


def main() -> int:
    from flask_migrate import upgrade

    from lms import create_app
    from lms.auth.services import NewAccount, create_account
    from lms.certificates import services
    from lms.certification.models import CertificationDecision, Outcome
    from lms.cohorts.services import create_cohort, enrol
    from lms.demo import cohort_dates
    from lms.extensions import db
    from lms.security import Role

    workdir = tempfile.mkdtemp(prefix="lms-bench-certificates-")
    app = create_app({
        "DATABASE_URL": os.environ.get("LMS_BENCH_DATABASE_URL")
        or f"sqlite:///{workdir}/bench.sqlite3",
        "SECRET_KEY": "benchmark", "MAIL_OUTBOX": f"{workdir}/outbox",
    })
    with app.app_context():
        upgrade(directory=os.path.join(ROOT, "migrations"))
        admin = create_account(None, NewAccount("bench-admin@example.jp", "事務局",
                                                frozenset({Role.ADMIN})), password=None)
        cohort = create_cohort(admin, "ベンチマーク期", COUNT + 2, cohort_dates(date(2025, 5, 1)))
        ids = []
        for n in range(COUNT + 2):
            trainee = create_account(None, NewAccount(
                f"bench-{n}@example.jp", f"認定 太郎{n}", frozenset({Role.TRAINEE})),
                password=None)
            enrolment = enrol(admin, cohort, trainee)
            db.session.flush()
            decision = CertificationDecision(enrolment_id=enrolment.id, outcome=Outcome.CERTIFIED,
                                             decided_on=date(2026, 2, 20),
                                             rule_version="2025-02-27")
            db.session.add(decision)
            db.session.flush()
            ids.append(decision.id)
        db.session.commit()

        # the first certificate of the process loads WeasyPrint and the font (cold)
        started = time.perf_counter()
        services.issue_many(admin, ids[:1], date(2026, 3, 1))
        db.session.commit()
        cold = time.perf_counter() - started
        # the baseline, in the same run: one certificate alone (fonts loaded, caches warm)
        started = time.perf_counter()
        services.issue_many(admin, ids[1:2], date(2026, 3, 1))
        db.session.commit()
        one = time.perf_counter() - started
        started = time.perf_counter()
        issued, skipped = services.issue_many(admin, ids[2:], date(2026, 3, 1))
        db.session.commit()
        elapsed = time.perf_counter() - started
    verdict = "ok" if elapsed <= TARGET_SECONDS and len(issued) == COUNT else "TOO SLOW"
    print(f"certificates: first of the process {cold * 1000:.0f} ms (cold); "
          f"baseline one certificate alone {one * 1000:.0f} ms; "
          f"issued {len(issued)} (skipped {len(skipped)}) in {elapsed:.2f} s "
          f"({elapsed / max(1, len(issued)) * 1000:.0f} ms each, ×{elapsed / one:.0f} the one; "
          f"target ≤ {TARGET_SECONDS:.0f} s) — {verdict}")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
