"""Generate a national-scale history in minutes: ``python benchmarks/seed_large.py``.

N trainees over M cohorts whose course 1 opened every ~12 days over the last years, so every
stage is present: applicants (draft, submitted, returned, accepted, rejected), course 1 with quiz
attempts and answers, the practice stage with reports and their versions, course 2 with
bookings and attendance, committee decisions and certificates (valid, renewed, lapsed,
revoked); then S xAPI statements with their index rows (``lms.xapi.seed``).

Rows go in with SQLAlchemy Core ``insert()`` and executemany in chunks (ids assigned here, the
PostgreSQL sequences moved past them at the end) — never through the web path. The database is
``--database`` (default: a SQLite file in /tmp); it is migrated to head and the real content
synced first. Not for a database that holds anything else.

    python benchmarks/seed_large.py --trainees 1000 --cohorts 15 --statements 500000
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHUNK = 5000


class Progress:
    """A one-line progress bar on stderr: ``label [#####.....] 50% 5,000/10,000 12.3 s``."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.started = time.perf_counter()
        self.draw()

    def add(self, n: int) -> None:
        self.done += n
        self.draw()

    def draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        sys.stderr.write(f"\r{self.label:<22} [{bar:<30}] {share:4.0%} {self.done:>11,}/"
                         f"{self.total:,} {time.perf_counter() - self.started:6.1f} s")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")


def bulk(conn, table, rows: list[dict], progress: Progress | None = None) -> None:
    """executemany in chunks; every row gets every key (executemany takes the first's keys)."""
    keys = set().union(*rows) if rows else set()
    rows = [{k: row.get(k) for k in keys} for row in rows]
    for start in range(0, len(rows), CHUNK):
        part = rows[start:start + CHUNK]
        conn.execute(table.insert(), part)
        if progress:
            progress.add(len(part))


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def generate(trainees: int, cohorts: int, today: date) -> dict[str, list[dict]]:
    """Every row, by table name, for *trainees* over *cohorts* as of *today*."""
    from lms.assessment.models import Quiz
    from lms.certificates.rules import certificate_number
    from lms.demo import cohort_dates
    from lms.extensions import db

    quizzes = db.session.execute(db.select(Quiz).order_by(Quiz.id)).scalars().all()
    group_quizzes = [q for q in quizzes if q.group_letter] or quizzes
    questions = {q.id: [qq for pool in (q.definition.get("pools") or [])
                        for qq in (pool.get("questions") or [])][:10] for q in group_quizzes}
    rows: dict[str, list[dict]] = {name: [] for name in (
        "user", "user_role", "cohort", "venue", "course_session", "session_day", "application",
        "enrolment", "quiz_attempt", "attempt_item", "practice_report", "report_version",
        "session_booking", "attendance", "certification_decision", "certificate",
        "revocation")}
    now = at(today)
    rows["venue"].append({"id": 1, "name": "東京会場", "address": "東京都千代田区",
                          "access_notes": "", "capacity": 60})
    ids = {name: 0 for name in rows}

    def new(table: str, **values) -> int:
        ids[table] += 1
        rows[table].append({"id": ids[table], **values})
        return ids[table]

    per_cohort = -(-trainees // cohorts)
    serials: dict[int, int] = {}
    # course 1 opens every *spacing* days over ~5 years; the last few are applicants still
    spacing = max(12, 1800 // cohorts)
    first_start = today - timedelta(days=spacing * (cohorts - max(1, cohorts // 25)) - 1)
    made = 0
    for c in range(cohorts):
        start = first_start + timedelta(days=spacing * c)
        dates = cohort_dates(start)
        cid = new("cohort", name=f"第{c + 1}期（生成）", capacity=max(60, per_cohort),
                  created_at=at(start - timedelta(days=60)),
                  applications_open=start - timedelta(days=60),
                  applications_close=start - timedelta(days=20), **dates)
        sid = new("course_session", cohort_id=cid, venue_id=1, title="集合研修",
                  capacity=max(60, per_cohort), instructors="講師",
                  booking_opens_at=at(dates["course2_start"] - timedelta(days=40)),
                  booking_closes_at=at(dates["course2_start"] - timedelta(days=7)),
                  cancel_cutoff_at=at(dates["course2_start"] - timedelta(days=10)),
                  test_opens_at=at(dates["course2_end"], 15),
                  test_closes_at=at(dates["course2_end"], 17), lock_version=0)
        days = [new("session_day", session_id=sid, day=d, starts_at=at(d, 0),
                    ends_at=at(d, 8), checkin_code=uuid.uuid4().hex[:8])
                for d in (dates["course2_start"], dates["course2_end"])]
        for n in range(per_cohort):
            if made >= trainees:
                break
            made += 1
            uid = new("user", public_id=str(uuid.uuid4()), email=f"gen{made}@example.jp",
                      name=f"生成 太郎{made}", password_hash=None, locale="ja", active=True,
                      created_at=at(start - timedelta(days=50)))
            rows["user_role"].append({"user_id": uid, "role": "trainee"})
            if start > today:  # applicants for a cohort not yet started
                status = ("draft", "submitted", "returned", "rejected")[n % 4]
                new("application", user_id=uid, cohort_id=cid, status=status,
                    full_name=f"生成 太郎{made}", furigana="せいせい たろう",
                    organisation="国際交流協会", prefecture="東京都", reasons=[],
                    eligible=status != "rejected",
                    correction_due=today + timedelta(days=14) if status == "returned" else None,
                    created_at=at(start - timedelta(days=50)), saved_at=now,
                    submitted_at=None if status == "draft" else now)
                continue
            new("application", user_id=uid, cohort_id=cid, status="accepted",
                full_name=f"生成 太郎{made}", furigana="せいせい たろう",
                organisation="国際交流協会", prefecture="東京都", reasons=[], eligible=True,
                created_at=at(start - timedelta(days=50)), saved_at=at(start - timedelta(40)),
                submitted_at=at(start - timedelta(days=40)))
            withdrawn = n % 37 == 36 and today > dates["practice_start"]
            done = today > dates["course2_end"] and not withdrawn
            eid = new("enrolment", registration=str(uuid.uuid4()), user_id=uid, cohort_id=cid,
                      status="withdrawn" if withdrawn else ("completed" if done else "active"),
                      enrolled_at=at(start - timedelta(days=10)),
                      withdrawn_at=now if withdrawn else None,
                      withdrawal_reason="期限超過" if withdrawn else None)
            # course 1: one attempt per group quiz taken so far, with its answers
            elapsed = (today - start).days
            for k, quiz in enumerate(group_quizzes):
                if elapsed < 10 * (k + 1):
                    break
                taken = at(start + timedelta(days=10 * (k + 1)))
                open_now = elapsed < 10 * (k + 1) + 3
                aid = new("quiz_attempt", user_id=uid, quiz_id=quiz.id, number=1,
                          quiz_version=quiz.version, seed=made * 31 + k, registration=None,
                          status="in_progress" if open_now else "submitted",
                          started_at=taken, deadline_at=None,
                          finished_at=None if open_now else taken + timedelta(minutes=20),
                          score=None if open_now else 8.0, possible=10.0,
                          percent=None if open_now else 80.0,
                          passed=None if open_now else True, proposed=None)
                for position, question in enumerate(questions[quiz.id]):
                    new("attempt_item", attempt_id=aid, position=position,
                        question_id=str(question.get("id", position)), question=question,
                        presentation={}, response=None if open_now and position > 3 else "a",
                        answered_at=taken, awarded=1.0, correct=position % 5 != 0)
            # practice: goal, progress and final reports with their versions
            for k, (kind, due) in enumerate((("goal", dates["practice_start"] + timedelta(14)),
                                             ("progress", dates["progress_report_due"]),
                                             ("final", dates["final_report_due"]))):
                if today < dates["practice_start"] + timedelta(days=7 * k):
                    break
                submitted = today > due
                values = {"summary": "実践の記録。" * 20}
                rid = new("practice_report", enrolment_id=eid, user_id=uid, kind=kind,
                          status="accepted" if submitted else "draft", values=values,
                          draft_saved_at=at(due - timedelta(days=3)),
                          submitted_at=at(due - timedelta(days=1)) if submitted else None,
                          revision_due_on=None,
                          accepted_at=at(due + timedelta(days=3)) if submitted else None)
                if submitted:
                    for number in (1, 2) if n % 5 == 0 else (1,):
                        new("report_version", report_id=rid, number=number, values=values,
                            submitted_at=at(due - timedelta(days=2 - number)))
            # course 2: a seat and attendance on both days
            if today >= dates["course2_start"] - timedelta(days=40) and not withdrawn:
                new("session_booking", session_id=sid, user_id=uid, status="booked",
                    position=n + 1, offer_expires_at=None, created_at=at(start),
                    updated_at=at(start))
                if today > dates["course2_end"]:
                    for d in days:
                        new("attendance", day_id=d, user_id=uid,
                            status="present" if n % 29 else "late", method="qr", marked_by_id=None,
                            marked_at=at(dates["course2_start"], 1))
            # certification and certificates
            if done:
                decided = dates["course2_end"] + timedelta(days=20)
                did = new("certification_decision", enrolment_id=eid,
                          outcome="certified" if n % 23 else "not_certified", decided_on=decided,
                          reason="", rule_version="2025-02-27", decided_by_id=None,
                          created_at=at(decided))
                if n % 23:
                    issued = decided + timedelta(days=7)
                    fy = issued.year if issued.month >= 4 else issued.year - 1
                    valid_until = date(fy + 4, 3, 31)
                    cert = _certificate(new, serials, certificate_number, uid, did, fy, issued,
                                        decided, valid_until, "first", None, made)
                    if n % 11 == 3:  # lapsed: past its validity, not renewed
                        rows["certificate"][-1].update(valid_until=decided + timedelta(days=30),
                                                       lapsed_on=decided + timedelta(days=31))
                    elif n % 13 == 5:  # renewed
                        _certificate(new, serials, certificate_number, uid, did, fy, issued,
                                     decided, date(fy + 7, 3, 31), "renewal", cert, made)
                    elif n % 17 == 7:  # revoked
                        new("revocation", certificate_id=cert, revoked_on=issued + timedelta(60),
                            ground="other", note="生成データ", revoked_by_id=None,
                            created_at=at(issued + timedelta(days=60)))
    return rows


def _certificate(new, serials, certificate_number, uid, did, fy, issued, decided, valid_until,
                 kind, supersedes, made) -> int:
    serials[fy] = serials.get(fy, 0) + 1
    return new("certificate", number=certificate_number(fy, serials[fy]), fiscal_year=fy,
               serial=serials[fy], token=uuid.uuid4().hex + uuid.uuid4().hex[:11], kind=kind,
               user_id=uid, decision_id=did, supersedes_id=supersedes,
               holder_name=f"生成 太郎{made}", holder_furigana="せいせい たろう",
               holder_organisation="国際交流協会", holder_prefecture="東京都",
               certified_on=decided, valid_until=valid_until, issued_on=issued,
               issued_at=at(issued), issued_by_id=None, rule_version="2025-02-27", reason="",
               pdf_sha256="0" * 64, pdf=None, lapsed_on=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--cohorts", type=int, default=150)
    parser.add_argument("--statements", type=int, default=5_000_000)
    parser.add_argument("--database", default=os.environ.get("LMS_BENCH_DATABASE_URL")
                        or "sqlite:////tmp/lms-large.sqlite3")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade

    from lms import create_app
    from lms.assessment.sync import sync_quizzes
    from lms.content.sync import sync_modules
    from lms.extensions import db
    from lms.xapi import seed as xapi_seed

    if args.database.startswith("sqlite:///"):
        path = args.database.removeprefix("sqlite:///")
        if os.path.exists(path):
            os.remove(path)
    workdir = Path("/tmp") / f"lms-large-{os.getpid()}"
    app = create_app({"DATABASE_URL": args.database, "SECRET_KEY": "seed-large",
                      "MAIL_OUTBOX": str(workdir / "outbox"),
                      "CREDENTIAL_KEY_DIR": str(workdir / "keys")})
    started = time.perf_counter()
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=str(ROOT / "migrations"))
        content = ROOT / "content"
        sync_modules(content)
        sync_quizzes(content.parent)
        db.session.commit()
        rows = generate(args.trainees, args.cohorts, date.today())
        total = sum(len(r) for r in rows.values())
        progress = Progress("rows", total)
        tables = db.metadata.tables
        with db.engine.begin() as conn:
            for name in rows:  # the order above respects the foreign keys
                bulk(conn, tables[name], rows[name], progress)
            if conn.dialect.name == "postgresql":
                for name in rows:
                    if "id" in tables[name].c:
                        conn.execute(db.text(
                            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                            f"(SELECT coalesce(max(id), 1) FROM \"{name}\"))"))
        progress.close()
        rows_seconds = time.perf_counter() - started
        print(f"{total:,} rows for {args.trainees:,} trainees over {args.cohorts} cohorts "
              f"in {rows_seconds:.1f} s", flush=True)
        done, step = 0, 500_000
        progress = Progress("xAPI statements", args.statements)
        statements_started = time.perf_counter()
        while done < args.statements:
            count = min(step, args.statements - done)
            xapi_seed.seed(count)
            done += count
            progress.add(count)
        progress.close()
        print(f"{args.statements:,} statements (with index rows) in "
              f"{time.perf_counter() - statements_started:.1f} s", flush=True)
        counts = {name: len(r) for name, r in rows.items()}
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"seed_large: total {time.perf_counter() - started:.1f} s on {args.database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
