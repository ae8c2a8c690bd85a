"""Demo data: `flask lms demo` seeds cohorts and one account per role (password demo-pass-2026)."""

from __future__ import annotations

import uuid
from collections.abc import Set
from datetime import date, datetime, time, timedelta

from lms.applications import demo as applications_demo
from lms.assessment.programme import course1_tests
from lms.assessment.services import finish, quiz_by_slug, save_answer, start_attempt
from lms.auth.models import User
from lms.auth.services import NewAccount, create_account, find_user
from lms.booking.admin import NewSession, create_session, create_venue
from lms.booking.services import book
from lms.certificates.demo import seed as seed_certificates
from lms.certification import demo as certification_demo
from lms.cohorts.models import Cohort, Enrolment
from lms.cohorts.services import create_cohort, current_enrolment, enrol
from lms.content.models import LectureModule
from lms.content.progress import apply_report, launch, open_module
from lms.extensions import db
from lms.lrs import clients as lrs_clients
from lms.office import demo as office_demo
from lms.practice.forms_cache import report_forms
from lms.practice.models import ReportStatus
from lms.practice.services import review, save_draft, save_reflection, submit
from lms.security import Role
from lms.timeutil import TOKYO, today_tokyo, utcnow

DEMO_PASSWORD = "demo-pass-2026"

ACCOUNTS = [
    ("admin@demo.example", "事務局 管理者", {Role.ADMIN}),
    ("instructor@demo.example", "講師 山田 花子", {Role.INSTRUCTOR}),
    ("committee@demo.example", "審査委員 佐藤 健", {Role.COMMITTEE, Role.INSTRUCTOR}),
    ("trainee1@demo.example", "受講生 田中 一郎", {Role.TRAINEE}),
    ("trainee2@demo.example", "受講生 鈴木 二葉", {Role.TRAINEE}),
    ("trainee3@demo.example", "受講生 高橋 三奈", {Role.TRAINEE}),
    ("trainee4@demo.example", "受講生 伊藤 四郎", {Role.TRAINEE}),
    ("trainee5@demo.example", "受講生 渡辺 五月", {Role.TRAINEE}),
    ("trainee6@demo.example", "受講生 山本 六花", {Role.TRAINEE}),
]


def cohort_dates(course1_start: date) -> dict[str, date]:
    """Stage dates for a cohort whose course 1 opens on *course1_start* (a typical ~7 months)."""
    d = course1_start
    return {
        "training_start": d,
        "course1_start": d,
        "course1_end": d + timedelta(days=59),
        "practice_start": d + timedelta(days=60),
        "progress_report_opens": d + timedelta(days=60),  # the cohort may set a later day
        "progress_report_due": d + timedelta(days=105),
        "final_report_due": d + timedelta(days=148),
        "practice_end": d + timedelta(days=150),
        "course2_start": d + timedelta(days=165),
        "course2_end": d + timedelta(days=167),
    }


def seed(today: date) -> bool:
    """Create the demo accounts and cohorts unless they exist; return True if anything was made.

    Flushes only; the caller commits.
    """
    if find_user("admin@demo.example") is not None:
        return False
    users: dict[str, User] = {}
    for email, name, roles in ACCOUNTS:
        users[email] = create_account(None, NewAccount(email, name, frozenset(roles)),
                                      password=DEMO_PASSWORD)
    admin = users["admin@demo.example"]
    # The current cohort is in course 1 today; the earlier one is in its practice stage.
    current = create_cohort(admin, "2026年度 第2期", 60, cohort_dates(today - timedelta(days=20)))
    earlier = create_cohort(admin, "2026年度 第1期", 60, cohort_dates(today - timedelta(days=70)))
    for n in (1, 2, 3):
        enrol(admin, current, users[f"trainee{n}@demo.example"])
    for n in (4, 5, 6):
        enrol(admin, earlier, users[f"trainee{n}@demo.example"])
    db.session.flush()
    # Trainees at different points of course ①: 1 has not started, 2 finished group A,
    # 3 finished A and B and is half-way through a C lecture, 4 and 5 finished everything.
    _watch(users["trainee2@demo.example"], {"A"})
    _watch(users["trainee3@demo.example"], {"A", "B"}, half={"C"})
    for n in (4, 5, 6):
        _watch(users[f"trainee{n}@demo.example"], {"A", "B", "C", "D", "E"})
    # Tests: 3 passed group A and failed group B once; 4 and 5 passed all of course ①.
    course1 = course1_tests()
    sit_quiz(users["trainee3@demo.example"], course1[0], passing=True)
    sit_quiz(users["trainee3@demo.example"], course1[1], passing=False)
    for n in (4, 5, 6):
        for slug in course1:
            sit_quiz(users[f"trainee{n}@demo.example"], slug, passing=True)
    _practice(users, admin)
    _course2(earlier, users, admin)
    # Other systems reach the LRS at /xapi/ with these credentials (see README).
    client, _secret = lrs_clients.create(admin, "デモ用 LRS クライアント", key="demo-lrs",
                                         secret="demo-lrs-secret")
    _partner_statements(client)
    applications_demo.seed(today, admin, DEMO_PASSWORD)
    seed_certificates(today, admin, DEMO_PASSWORD)
    certification_demo.seed(today, users)
    office_demo.seed(today, DEMO_PASSWORD)
    db.session.flush()
    return True


def _partner_statements(client) -> None:
    """Two statements as a partner system would post them, so the LRS pages show a client."""
    from lms.lrs.ingest import ingest

    home = "https://partner.example"
    ingest([{
        "actor": {"objectType": "Agent", "name": "連携先の研修生",
                  "account": {"homePage": home, "name": "p-0001"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced",
                 "display": {"ja-JP": "体験した", "en-US": "experienced"}},
        "object": {"objectType": "Activity", "id": f"{home}/activities/{slug}",
                   "definition": {"name": {"ja-JP": title}}},
    } for slug, title in (("desk-visit", "地域の相談窓口見学"),
                          ("interpreter-call", "電話通訳を使った相談の練習"))], client, {})


DEMO_TEXT = ("相談者の在留資格と生活状況を丁寧に確認し、関係機関と連携して支援を進めた。"
             "やさしい日本語と通訳を使い分け、本人が主体的に動けるよう働きかけた。")


def demo_values(form) -> dict:
    """Plausible answers for every field of a report form (demo data only)."""
    values: dict = {}
    for field in form.fields:
        if field.type == "text":
            need = max(field.min_length or 0, 20)
            text = (DEMO_TEXT * (need // len(DEMO_TEXT) + 1))
            values[field.id] = text[: max(need, min(len(text), field.max_length or len(text)))]
        elif field.type == "choice":
            values[field.id] = field.options[0]
        elif field.type == "multichoice":
            values[field.id] = list(field.options[:2])
        elif field.type == "date":
            values[field.id] = "2027-03-31"
        elif field.type == "number":
            values[field.id] = str(int(field.min or 0) + 12)
    return values


def _enrolment(trainee: User) -> Enrolment:
    enrolment = current_enrolment(trainee)
    if enrolment is None:
        raise LookupError(f"{trainee.email} is not enrolled")
    return enrolment


def _practice(users: dict[str, User], admin: User) -> None:
    """trainee4 and 6: practice complete (all accepted), reflections; trainee5: goal returned
    for revision with a comment, and a progress-report draft."""
    forms = report_forms()
    instructor = users["instructor@demo.example"]
    enrolments = {n: _enrolment(users[f"trainee{n}@demo.example"]) for n in (4, 5, 6)}
    for n in (4, 6):
        for kind in ("goal", "progress", "final"):
            report = submit(enrolments[n], kind, demo_values(forms[kind]))
            review(instructor, report, ReportStatus.ACCEPTED, "具体的で、振り返りも丁寧です。")
        for back in (2, 1, 0):
            save_reflection(enrolments[n], today_tokyo() - timedelta(days=back),
                            demo_values(forms["reflection"]))
    five = enrolments[5]
    goal = submit(five, "goal", demo_values(forms["goal"]))
    review(instructor, goal, ReportStatus.RETURNED,
           "達成指標をもう少し具体的にしてください（件数や日数など）。",
           today_tokyo() + timedelta(days=7), "修正に必要な期間として1週間を設定")
    draft = demo_values(forms["progress"])
    save_draft(five, "progress", dict(list(draft.items())[:2]))


def _course2(cohort: Cohort, users: dict[str, User], admin: User) -> None:
    """A full one-seat session of course ② for the earlier cohort: trainee6 booked,
    trainee4 on the waitlist; and a roomier second session. Made as an administrator makes
    them (the venue and session forms' services: their checks, their audit records)."""
    now = utcnow()
    venue = create_venue(admin, "出入国在留管理庁 研修室（東京）", "東京都千代田区霞が関1-1-1",
                         "地下鉄 霞ケ関駅 A1出口から徒歩3分。受付で受講票を提示してください。", 60)
    first = cohort.course2_start
    for title, seats in (("第1回 集合研修（東京）", 1), ("第2回 集合研修（東京）", 30)):
        session = create_session(admin, NewSession(
            cohort_id=cohort.id, venue_id=venue.id, title=title, capacity=seats,
            instructors="講師 山田 花子、審査委員 佐藤 健", first_day=first, days=2,
            booking_opens_at=now - timedelta(days=1),
            booking_closes_at=datetime.combine(first, time(0), TOKYO),
            cancel_cutoff_at=datetime.combine(first - timedelta(days=2), time(0), TOKYO),
            test_opens_at=datetime.combine(first + timedelta(days=1), time(13), TOKYO),
            test_closes_at=datetime.combine(first + timedelta(days=1), time(17), TOKYO)))
        if seats == 1:
            book(users["trainee6@demo.example"], session)
            book(users["trainee4@demo.example"], session)


def key_response(question: dict):
    kind = question["type"]
    if kind == "single":
        return next(o["id"] for o in question["options"] if o.get("correct"))
    if kind == "multiple":
        return sorted(o["id"] for o in question["options"] if o.get("correct"))
    if kind == "true_false":
        return question["answer"]
    if kind == "short_text":
        return question["accepted"][0]
    return list(range(len(question["items"])))


def sit_quiz(user: User, slug: str, passing: bool) -> None:
    """Take a quiz for *user*: every answer right, or none given."""
    quiz = quiz_by_slug(slug)
    if quiz is None:
        return
    attempt = start_attempt(user, quiz)
    if passing:
        for item in attempt.items:
            save_answer(user, attempt, item.question_id, key_response(item.question))
    finish(attempt)


def _watch(user: User, groups: Set[str], half: Set[str] = frozenset()) -> None:
    """Give *user* watched lectures: all of *groups*, and the first of *half* half-way."""
    modules = db.session.execute(
        db.select(LectureModule).where(LectureModule.published.is_(True))
        .order_by(LectureModule.group_letter, LectureModule.order)).scalars().all()
    started = utcnow() - timedelta(days=3)
    for module in modules:
        if module.group_letter in groups:
            end = float(module.duration_seconds)
        elif module.group_letter in half and module.order == 1:
            end = module.duration_seconds / 2
        else:
            continue
        open_module(user, module).opened_at = started
        session = launch(user, module, now=started)
        apply_report(user, module, str(uuid.uuid4()), [[0, end]], [], end, session.id,
                     now=started + timedelta(minutes=5), final=True)


def is_empty() -> bool:
    return db.session.scalar(db.select(db.func.count()).select_from(User)) == 0 and \
        db.session.scalar(db.select(db.func.count()).select_from(Cohort)) == 0
