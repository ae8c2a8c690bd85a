"""Load scenarios with locust, each followed by an audit of the database (``make load``).

    python benchmarks/load/run.py [--users 300] [--seconds 60] [--scenario NAME ...]

Loopback only: gunicorn on a free 127.0.0.1 port, on a fresh SQLite file (or the database in
``LMS_BENCH_DATABASE_URL``, which is wiped). Scenarios, each bounded by ``--seconds``:

* ``test-start``  — every user logs in, opens the same test in the same minute, answers with
  autosave (each answer saved twice, the second time changed) and submits;
* ``deadline``    — every user autosaves the goal sheet several times, then submits it;
* ``booking``     — every user tries to book one session of 60 seats at once;
* ``ingest``      — partner clients post 1, 10 and 100 statements per request.

After each, the audit compares the database with what the simulated users were told: every
acknowledged answer, draft and submission stored exactly once (the last acknowledged value),
no booking beyond capacity, each acknowledged statement stored once, no 5xx. The bare route
(``/healthz``) is driven in the same run for the ratio. Figures: throughput, p50/p95/p99,
errors.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PASSWORD = "load-test-password-1"
SCENARIOS = ("test-start", "deadline", "booking", "ingest")
PARTNER = ("partner", "partner-secret")


# -- set-up and audit run in plain processes (no gevent) ---------------------------------------
def make_app(url: str, workdir: str):
    from lms import create_app

    return create_app({"DATABASE_URL": url, "SECRET_KEY": "load", "WTF_CSRF_ENABLED": True,
                       "MAIL_OUTBOX": f"{workdir}/outbox", "CONTENT_DIR": f"{workdir}/content",
                       "CREDENTIAL_KEY_DIR": f"{workdir}/keys"})


def setup(url: str, workdir: str, users: int) -> None:
    """A cohort of *users* trainees with cheap password hashes, the quiz, a 60-seat session."""
    from datetime import date, timedelta

    from flask_migrate import upgrade

    from lms.assessment.sync import sync_quizzes
    from lms.auth import models as auth_models
    from lms.auth.services import NewAccount, create_account
    from lms.booking.models import CourseSession, Venue
    from lms.cohorts.services import create_cohort, enrol
    from lms.content.sync import sync_modules
    from lms.demo import cohort_dates
    from lms.extensions import db
    from lms.lrs import clients
    from lms.practice.forms_cache import report_forms
    from lms.security import Role
    from lms.timeutil import utcnow

    auth_models.PASSWORD_METHOD = "scrypt:1024:8:1"  # logins are not what is measured here
    shutil.copytree(ROOT / "tests" / "fixtures" / "authoring", f"{workdir}/authoring")
    os.rename(f"{workdir}/authoring/content", f"{workdir}/content")
    os.rename(f"{workdir}/authoring/quizzes", f"{workdir}/quizzes")
    shutil.copytree(ROOT / "reports", f"{workdir}/reports")
    Path(f"{workdir}/content/program.yml").write_text("gates: {}\n")
    app = make_app(url, workdir)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=str(ROOT / "migrations"))
        sync_modules(Path(f"{workdir}/content"))
        sync_quizzes(Path(workdir))
        cohort = create_cohort(None, "負荷試験期", users + 10,
                               cohort_dates(date.today() - timedelta(days=70)))
        for n in range(users):
            user = create_account(None, NewAccount(f"load{n}@example.jp", f"負荷 {n}",
                                                   frozenset({Role.TRAINEE})), password=PASSWORD)
            enrol(None, cohort, user)
        now = utcnow()
        session = CourseSession(
            cohort_id=cohort.id, venue=Venue(name="会場", address="東京都", capacity=60),
            title="集合研修", capacity=60, booking_opens_at=now - timedelta(minutes=1),
            booking_closes_at=now + timedelta(days=5), cancel_cutoff_at=now + timedelta(days=3))
        db.session.add(session)
        clients.create(None, "partner", key=PARTNER[0], secret=PARTNER[1])
        db.session.commit()
        form = report_forms()["goal"]
        goal = {}
        for field in form.fields:
            if field.type == "text":
                goal[field.id] = "あ" * max(field.min_length or 1, 1)
            elif field.type == "choice":
                goal[field.id] = field.options[0]
            elif field.type == "multichoice":
                goal[field.id] = [field.options[0]]
        text_field = next(f.id for f in form.fields if f.type == "text")
        Path(f"{workdir}/plan.json").write_text(json.dumps(
            {"session": session.id, "goal": goal, "text_field": text_field}))


def audit(url: str, workdir: str, scenario: str, told: list[dict]) -> list[str]:
    """Problems found comparing the database with what the users were told (empty: clean)."""
    import sqlalchemy as sa

    from lms.assessment.models import AttemptItem, QuizAttempt
    from lms.auth.models import User
    from lms.booking.models import BookingStatus, CourseSession, SessionBooking
    from lms.extensions import db
    from lms.practice.models import PracticeReport, ReportVersion
    from lms.xapi.models import Statement

    problems = []
    app = make_app(url, workdir)
    with app.app_context():
        emails = dict(db.session.execute(sa.select(User.email, User.id)).all())
        if scenario == "test-start":
            last = {}
            for t in told:
                if t["kind"] == "answer":
                    last[(t["attempt"], t["question"])] = t["response"]
            stored = {(i.attempt_id, i.question_id): i.response for i in db.session.execute(
                sa.select(AttemptItem).where(AttemptItem.attempt_id.in_(
                    {a for a, _ in last} or {0}))).scalars()}
            for key, response in last.items():
                if stored.get(key) != response:
                    problems.append(f"answer {key}: told {response!r}, stored "
                                    f"{stored.get(key)!r}")
            per_user = db.session.execute(sa.select(QuizAttempt.user_id, sa.func.count())
                                          .group_by(QuizAttempt.user_id)).all()
            problems += [f"user {u} has {c} attempts" for u, c in per_user if c != 1]
            submitted = {t["attempt"] for t in told if t["kind"] == "submit"}
            for attempt in submitted:
                if db.session.get(QuizAttempt, attempt).finished_at is None:
                    problems.append(f"attempt {attempt}: submission acknowledged, not stored")
        elif scenario == "deadline":
            field = json.loads(Path(f"{workdir}/plan.json").read_text())["text_field"]
            last = {}
            for t in told:
                if t["kind"] == "draft":
                    last[t["email"]] = t["value"]
            submitted = {t["email"] for t in told if t["kind"] == "submit"}
            reports = {r.user_id: r for r in db.session.execute(
                sa.select(PracticeReport).filter_by(kind="goal")).scalars()}
            for email, value in last.items():
                report = reports.get(emails[email])
                if report is None:
                    problems.append(f"{email}: acknowledged draft lost")
                elif email not in submitted and report.values.get(field) != value:
                    problems.append(f"{email}: draft {value!r} stored as "
                                    f"{report.values.get(field)!r}")
            for email in submitted:
                versions = db.session.scalar(sa.select(sa.func.count()).select_from(
                    ReportVersion).join(PracticeReport).where(
                    PracticeReport.user_id == emails[email], PracticeReport.kind == "goal"))
                if versions != 1:
                    problems.append(f"{email}: submission stored {versions} times")
        elif scenario == "booking":
            session = db.session.execute(sa.select(CourseSession)).unique().scalar_one()
            booked = db.session.scalar(sa.select(sa.func.count()).select_from(SessionBooking)
                                       .filter_by(status=BookingStatus.BOOKED))
            if booked > session.capacity:
                problems.append(f"{booked} booked for {session.capacity} seats")
            told_booked = len({t["email"] for t in told if t["kind"] == "book"})
            rows = db.session.scalar(sa.select(sa.func.count()).select_from(SessionBooking))
            if rows != told_booked:
                problems.append(f"{told_booked} bookings acknowledged, {rows} stored")
            if told_booked >= session.capacity and booked != session.capacity:
                problems.append(f"seats left empty: {booked} of {session.capacity}")
        elif scenario == "ingest":
            ids = [i for t in told if t["kind"] == "statements" for i in t["ids"]]
            stored = Counter(db.session.execute(sa.select(Statement.statement_id).where(
                Statement.source == PARTNER[0])).scalars())
            missing = [i for i in ids if stored.get(i) != 1]
            if missing:
                problems.append(f"{len(missing)} acknowledged statements not stored once")
            doubled = [i for i, n in stored.items() if n > 1]
            if doubled:
                problems.append(f"{len(doubled)} statements stored twice")
            # batches in flight when the run stopped may be stored without an answer received
            unanswered = len(stored) - len(set(ids))
            if not 0 <= unanswered <= 30 * 100:
                problems.append(f"{len(stored)} stored, {len(set(ids))} acknowledged")
    return problems


from collections import Counter  # noqa: E402  (used by audit; kept out of the gevent path)


# -- the load itself (locust, gevent) -----------------------------------------------------------
def drive(host: str, workdir: str, scenario: str, users: int, seconds: int) -> dict:
    import gevent
    import gevent.event
    import locust.stats
    from locust import HttpUser, constant, task
    from locust.env import Environment
    from locust.exception import StopUser

    plan = json.loads(Path(f"{workdir}/plan.json").read_text())
    told: list[dict] = []
    numbers = iter(range(users))
    go = gevent.event.Event()
    finished: list[str] = []
    arrived: list[str] = []

    class Trainee(HttpUser):
        wait_time = constant(0.2)

        def on_start(self):
            self.email = f"load{next(numbers)}@example.jp"
            page = self.client.get("/auth/login", name="login page").text
            token = _token(page)
            self.client.post("/auth/login", {"csrf_token": token, "email": self.email,
                                             "password": PASSWORD}, name="login")
            self.token = _token(self.client.get("/trainee/", name="home").text)
            arrived.append(self.email)
            go.wait()  # every user starts the scenario at the same moment

        def post_json(self, path, body, name):
            return self.client.post(path, json=body, headers={"X-CSRFToken": self.token},
                                    name=name)

        @task
        def scenario(self):
            try:
                getattr(self, scenario.replace("-", "_"))()
            finally:
                finished.append(self.email)
            raise StopUser()

        def test_start(self):
            response = self.client.post("/quizzes/group-a/start",
                                        {"csrf_token": self.token}, name="start test")
            attempt = int(response.url.rsplit("/attempts/", 1)[1].split("/")[0])
            for question, values in (("fa-q1", ("b", "a")), ("fa-q2", (False, True))):
                for value in values:
                    saved = self.post_json(f"/attempts/{attempt}/answers",
                                           {"question_id": question, "response": value},
                                           "autosave answer")
                    if saved.status_code == 200:
                        told.append({"kind": "answer", "attempt": attempt,
                                     "question": question, "response": value})
            done = self.client.post(f"/attempts/{attempt}/submit", {"csrf_token": self.token},
                                    name="submit test")
            if done.status_code == 200:
                told.append({"kind": "submit", "attempt": attempt})

        def deadline(self):
            field = plan["text_field"]
            for n in range(5):
                value = f"{self.email} 下書き{n}" + "あ" * 20
                saved = self.post_json("/practice/reports/goal/draft",
                                       {"values": {field: value}}, "autosave draft")
                if saved.status_code == 200:
                    told.append({"kind": "draft", "email": self.email, "value": value})
            done = self.client.post("/practice/reports/goal", {
                "csrf_token": self.token, **plan["goal"], "action": "submit", "confirm": "yes"},
                name="submit report")
            if done.status_code == 200 and "/receipt" in done.url:
                told.append({"kind": "submit", "email": self.email})

        def booking(self):
            done = self.client.post(f"/course2/sessions/{plan['session']}/book",
                                    {"csrf_token": self.token}, name="book")
            if done.status_code == 200:
                told.append({"kind": "book", "email": self.email})

    class Partner(HttpUser):
        wait_time = constant(0.1)

        @task
        def post(self):
            import uuid

            size = (1, 10, 100)[id(self) % 3]
            batch = [{"id": str(uuid.uuid4()),
                      "actor": {"objectType": "Agent", "account": {
                          "homePage": "http://partner.example", "name": f"p{n % 50}"}},
                      "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                      "object": {"id": f"http://partner.example/a/{n % 20}"}}
                     for n in range(size)]
            response = self.client.post("/xapi/statements", json=batch, auth=PARTNER,
                                        headers={"X-Experience-API-Version": "1.0.3"},
                                        name=f"ingest {size}/request")
            if response.status_code == 200:
                told.append({"kind": "statements", "ids": [s["id"] for s in batch]})

    class Bare(HttpUser):
        wait_time = constant(0)

        @task
        def health(self):
            self.client.get("/healthz", name="bare /healthz")

    def run(user_class, count):
        env = Environment(user_classes=[user_class], host=f"http://{host}")
        runner = env.create_local_runner()
        runner.start(count, spawn_rate=count)
        return env, runner

    if scenario == "ingest":
        go.set()
        env, runner = run(Partner, min(users, 30))
    else:
        env, runner = run(Trainee, users)
        ready = gevent.Timeout(seconds)
        try:
            ready.start()
            while len(arrived) < users:  # every user logged in; then all at once
                gevent.sleep(0.1)
        except gevent.Timeout:
            pass
        finally:
            ready.close()
        env.stats.reset_all()
        go.set()
    bare_env, bare_runner = run(Bare, 4)
    deadline = gevent.Timeout(seconds)
    try:
        deadline.start()
        while scenario == "ingest" or len(finished) < users:
            gevent.sleep(0.2)
    except gevent.Timeout:
        pass
    finally:
        deadline.close()
    runner.quit()
    bare_runner.quit()

    def figures(stats):
        total = stats.total
        return {"requests": total.num_requests, "failures": total.num_failures,
                "rps": total.total_rps, "p50": total.get_response_time_percentile(0.5),
                "p95": total.get_response_time_percentile(0.95),
                "p99": total.get_response_time_percentile(0.99),
                "per_name": {name: (s.num_requests, s.num_failures,
                                    s.get_response_time_percentile(0.95))
                             for (name, _), s in stats.entries.items()},
                "errors5xx": sum(e.occurrences for e in stats.errors.values()
                                 if "50" in str(e.error))}

    del locust.stats
    return {"scenario": figures(env.stats), "bare": figures(bare_env.stats), "told": told}


def _token(page: str) -> str:
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'name="csrf-token" content="([^"]+)"', page)
    return match.group(1) if match else ""


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("--stage", choices=("setup", "drive", "audit"), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--host", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = os.environ.get("LMS_BENCH_DATABASE_URL")
    if args.stage == "setup":
        setup(url, args.workdir, args.users)
        return 0
    if args.stage == "drive":
        out = drive(args.host, args.workdir, args.scenario[0], args.users, args.seconds)
        Path(f"{args.workdir}/result.json").write_text(json.dumps(out))
        return 0
    if args.stage == "audit":
        told = json.loads(Path(f"{args.workdir}/result.json").read_text())["told"]
        problems = audit(url, args.workdir, args.scenario[0], told)
        Path(f"{args.workdir}/audit.json").write_text(json.dumps(problems))
        return 0

    from benchmarks._harness import gunicorn, lms_env

    status = 0
    for scenario in args.scenario or SCENARIOS:
        workdir = tempfile.mkdtemp(prefix=f"lms-load-{scenario}-")
        env = lms_env(workdir, LMS_CONTENT_DIR=f"{workdir}/content",
                      LMS_UPLOAD_DIR=f"{workdir}/uploads")
        env["LMS_BENCH_DATABASE_URL"] = env["LMS_DATABASE_URL"]
        me = [sys.executable, __file__, "--workdir", workdir, "--users", str(args.users),
              "--seconds", str(args.seconds), "--scenario", scenario]
        subprocess.run([*me, "--stage", "setup"], env=env, check=True, cwd=ROOT)
        with gunicorn(env, workers=int(os.environ.get("LMS_WORKERS", 3))) as host:
            subprocess.run([*me, "--stage", "drive", "--host", host], env=env, check=True,
                           cwd=ROOT)
        subprocess.run([*me, "--stage", "audit"], env=env, check=True, cwd=ROOT)
        result = json.loads(Path(f"{workdir}/result.json").read_text())
        problems = json.loads(Path(f"{workdir}/audit.json").read_text())
        s, b = result["scenario"], result["bare"]
        ratio = b["p95"] and s["p95"] / b["p95"]
        print(f"\n== {scenario}: {args.users} users, ≤ {args.seconds} s")
        print(f"   {s['requests']:>6} requests  {s['rps']:7.1f} req/s  p50 {s['p50']:.0f} ms  "
              f"p95 {s['p95']:.0f} ms  p99 {s['p99']:.0f} ms  failures {s['failures']}  "
              f"5xx {s['errors5xx']}")
        print(f"   bare /healthz in the same run: {b['rps']:.1f} req/s, p95 {b['p95']:.0f} ms "
              f"(scenario p95 = ×{ratio:.1f} the bare route)")
        for name, (count, failures, p95) in sorted(s["per_name"].items()):
            if not count:
                continue
            print(f"     {name:<20} {count:>6} requests  failures {failures:>4}  p95 {p95} ms")
        verdict = "clean" if not problems and not s["errors5xx"] else "PROBLEMS"
        print(f"   audit: {verdict}" + "".join(f"\n     - {p}" for p in problems[:20]))
        status |= verdict != "clean"
        shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
