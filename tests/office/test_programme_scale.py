"""The programme view at scale: a fixed number of queries whatever the number of trainees,
and the same figures as the per-row definitions its grouped queries replaced."""

from __future__ import annotations

from collections import Counter
from datetime import date

import sqlalchemy as sa

from benchmarks import seed_large
from lms.applications.models import ApplicationStatus
from lms.security import Role
from tests.conftest import SAMPLE_AND_DEMO, _clean, sample_and_demo, seeded


def _seed(app, runner, trainees: int) -> None:
    """A clean database holding *trainees* generated over two cohorts, and an administrator."""
    from lms.auth.services import NewAccount, create_account
    from lms.extensions import db

    _clean(app)
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    with app.app_context():
        rows = seed_large.generate(trainees, 2, date.today())
        tables = db.metadata.tables
        with db.engine.begin() as conn:
            for name in rows:
                seed_large.bulk(conn, tables[name], rows[name])
            if conn.dialect.name == "postgresql":
                for name in [n for n in rows if "id" in tables[n].c]:
                    conn.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM \"{name}\"))"))
        create_account(None, NewAccount("office@example.jp", "事務局", frozenset({Role.ADMIN})),
                       password="office-pass-2026")
        db.session.commit()


def _page_queries(app, client, auth) -> int:
    from lms.extensions import db

    auth.login("office@example.jp", "office-pass-2026")
    assert client.get("/admin/office/programme").status_code == 200  # warm
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/admin/office/programme").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    auth.logout()
    return len(statements)


def test_the_programme_view_queries_do_not_grow_with_trainees(app, client, runner, auth):
    _seed(app, runner, 5)
    few = _page_queries(app, client, auth)
    _seed(app, runner, 50)
    many = _page_queries(app, client, auth)
    assert few == many, (few, many)
    assert many <= 15


def _expected(today: date) -> dict[str, list]:
    """The sections' rows as the per-row definitions computed them (every trainee and
    certificate loaded), to hold the grouped queries to."""
    from lms.applications import messages
    from lms.applications.models import Application, ApplicationStatus
    from lms.assessment.models import AttemptStatus, Quiz, QuizAttempt
    from lms.certificates import rules as certificate_rules
    from lms.certificates.models import Certificate, IssueKind
    from lms.certificates.office import _month_ahead
    from lms.cohorts.models import Enrolment
    from lms.extensions import db
    from lms.office import rules
    from lms.practice.models import PracticeReport, ReportStatus
    from lms.practice.programme import completed_enrolments
    from lms.progression import registry

    attempts = db.session.execute(
        sa.select(Quiz.title, QuizAttempt.number, QuizAttempt.passed).join(Quiz)
        .where(QuizAttempt.status != AttemptStatus.IN_PROGRESS,
               QuizAttempt.passed.is_not(None))).all()
    rates = rules.pass_rates((t, n, bool(p)) for t, n, p in attempts)
    passed: dict[int, object] = {}
    for attempt in db.session.scalars(sa.select(QuizAttempt).join(Quiz).where(
            Quiz.kind.in_(registry.kinds_where(lambda kind: kind.completes_stage)),
            QuizAttempt.passed.is_(True))):
        if attempt.finished_at and (attempt.user_id not in passed
                                    or attempt.finished_at < passed[attempt.user_id]):
            passed[attempt.user_id] = attempt.finished_at
    done: dict[int, object] = {}
    for report in db.session.scalars(sa.select(PracticeReport).where(
            PracticeReport.status == ReportStatus.ACCEPTED)):
        if report.accepted_at and (report.enrolment_id not in done
                                   or report.accepted_at > done[report.enrolment_id]):
            done[report.enrolment_id] = report.accepted_at
    complete = completed_enrolments(done)
    course1, practice = [], []
    for enrolment in db.session.scalars(sa.select(Enrolment)):
        if enrolment.user_id in passed:
            course1.append((enrolment.enrolled_at, passed[enrolment.user_id]))
            if enrolment.id in complete:
                practice.append((passed[enrolment.user_id], done[enrolment.id]))
    accepted = list(db.session.scalars(sa.select(Application).where(
        Application.status == ApplicationStatus.ACCEPTED).order_by(Application.id)))
    desks = messages.post_desk_labels()
    certificates = list(db.session.scalars(sa.select(Certificate)))
    superseded = {c.supersedes_id for c in certificates}
    horizon = _month_ahead(today, 7)
    due = Counter(f"{c.valid_until.year}-{c.valid_until.month:02d}" for c in certificates
                  if today <= c.valid_until < horizon and c.revocation is None
                  and c.id not in superseded)
    return {
        "rates": [(t, n, p, s, round(100 * p / s)) for t, n, p, s in rates],
        "stages": [(rules.median_days(spans), len(spans)) for spans in (course1, practice)],
        "prefectures": Counter(a.prefecture or "未記入" for a in accepted).most_common(),
        "desks": Counter(desks.get(a.post_desk or "", "未記入") for a in accepted).most_common(),
        "years": sorted(Counter(certificate_rules.fiscal_year(c.certified_on)
                                for c in certificates if c.kind == IssueKind.FIRST).items()),
        "due": due,
    }


def test_the_grouped_sections_match_the_per_row_definitions(app, runner):
    from lms.applications import messages
    from lms.applications.models import Application
    from lms.extensions import db
    from lms.office import programme
    from lms.timeutil import today_tokyo

    seeded(app, SAMPLE_AND_DEMO, lambda: sample_and_demo(runner))
    with app.test_request_context("/"):
        # every application accepted, some without a prefecture or with a desk the labels lack
        desks = list(messages.post_desk_labels())
        for n, application in enumerate(db.session.scalars(
                sa.select(Application).order_by(Application.id))):
            application.status = ApplicationStatus.ACCEPTED
            application.prefecture = ("", "大阪府", "東京都", "大阪府", None)[n % 5] or ""
            application.post_desk = (None, "unknown", desks[0], desks[-1], desks[0])[n % 5]
        db.session.commit()
        found = {s.title: s for s in programme.sections()}
        expected = _expected(today_tokyo())
        assert sum(s for _t, _n, _p, s, _r in expected["rates"]) > 0
        assert all(n for _m, n in expected["stages"]), expected["stages"]
    assert list(found["テスト・受験回ごとの合格率（%）"].rows) == expected["rates"]
    assert [(m, n) for _name, m, n in found["段階ごとの所要日数（中央値）"].rows] == [
        ("—" if m is None else m, n) for m, n in expected["stages"]]
    assert list(found["都道府県別の受講者数（受講決定した申込）"].rows) == expected["prefectures"]
    assert list(found["相談窓口の種別ごとの受講者数（現在の職）"].rows) == expected["desks"]
    assert [n for _fy, n in found["年度別の認定者数"].rows] == [n for _y, n in expected["years"]]
    due = found["今後6か月に有効期間が満了する認定証（月別）"].rows
    assert dict(due) == {month: expected["due"].get(month, 0) for month, _n in due}
