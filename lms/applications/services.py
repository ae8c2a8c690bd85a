"""Applying: sign-up, the draft, evidence, the rule's verdict, submission. Functions flush;
callers commit.

An applicant is an ordinary account with no role yet: the home page of a person without a role
shows their applications; accepting the application grants the trainee role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app

from lms import audit, xapi
from lms.applications import evidence, rules
from lms.applications.models import (
    Application,
    ApplicationStatus,
    EvidenceFile,
    ExperiencePeriod,
    PostRole,
    Qualification,
)
from lms.auth import tokens
from lms.auth.models import User
from lms.auth.services import find_user, normalise_email
from lms.cohorts.models import Cohort
from lms.errors import UserError
from lms.extensions import db
from lms.i18n import N_
from lms.links import external_url
from lms.mail.compose import queue_to
from lms.timeutil import utcnow
from lms.xapi import vocab
from lms.xapi.recorder import actor_for

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)
POST_DESKS = (*rules.CURRENT_POSTS, "other")
PERIOD_DESKS = (*rules.EXPERIENCE_DESKS, "other")
QUALIFICATION_NAMES = (*rules.QUALIFICATIONS, *rules.NON_EXEMPTING_QUALIFICATIONS)
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class ApplicationError(UserError, ValueError):
    """An action the rules refuse; ``code`` names why, ``fields`` which inputs (name → code)."""

    def __init__(self, code: str, fields: dict[str, str] | None = None, **params):
        super().__init__(code)
        self.code = code
        self.fields = fields or {}
        self.params = params


def thresholds() -> rules.Thresholds:
    cfg = current_app.config
    return rules.Thresholds(cfg["ELIGIBILITY_WINDOW_YEARS"], cfg["ELIGIBILITY_MIN_DAYS_IN_POST"],
                            cfg["ELIGIBILITY_MIN_DAYS_WORKED"])


def window_open(cohort: Cohort, today: date) -> bool:
    """True while *cohort* takes applications (inclusive Tokyo dates)."""
    opens, closes = cohort.applications_open, cohort.applications_close
    return opens is not None and closes is not None and opens <= today <= closes


def open_cohorts(today: date) -> list[Cohort]:
    """Cohorts taking applications today or later, soonest first."""
    return list(db.session.execute(
        db.select(Cohort).where(Cohort.applications_close >= today)
        .order_by(Cohort.applications_open, Cohort.id)).scalars())


# --- sign-up --------------------------------------------------------------------------------

def sign_up(email: str, name: str, cohort: Cohort) -> None:
    """Mail *email* a link that verifies it and sets a password; says nothing of whether an
    account exists (one that does is told to log in instead)."""
    user = find_user(email)
    if user is not None and user.password_hash:
        queue_to(user, N_("Applying to the coordinator training"), N_(
            "%(name)s,\n\nYou already have an account. Log in and apply to %(cohort)s "
            "here:\n\n%(link)s\n"), cohort=cohort.name,
            link=external_url("applications.cohort", cohort_id=cohort.id))
        return
    if user is None:
        user = User(email=normalise_email(email), name=name.strip())
        db.session.add(user)
        db.session.flush()
        audit.record(None, "user.signup", user, {"cohort": cohort.id})
    link = external_url("applications.verify", token=tokens.make_token(user, tokens.SIGNUP),
                        cohort=cohort.id)
    queue_to(user, N_("Confirm your e-mail address"), N_(
        "%(name)s,\n\nTo apply to %(cohort)s, confirm your e-mail address and choose a "
        "password with this link (valid for %(hours)s hours):\n\n%(link)s\n\nIf you did "
        "not ask for this, ignore this message.\n"), cohort=cohort.name,
        hours=current_app.config["INVITE_MAX_AGE_HOURS"], link=link)


# --- the draft ------------------------------------------------------------------------------

def application_for(user: User, cohort: Cohort, today: date) -> Application:
    """Return *user*'s application to *cohort*, starting a draft while the window is open."""
    row = db.session.execute(db.select(Application).filter_by(
        user_id=user.id, cohort_id=cohort.id)).scalar_one_or_none()
    if row is not None:
        return row
    if not window_open(cohort, today):
        raise ApplicationError("window_closed")
    row = Application(user=user, cohort=cohort, full_name=user.name, reasons=[])
    db.session.add(row)
    refresh_verdict(row)
    db.session.flush()
    return row


def editable(application: Application, today: date) -> bool:
    if application.status == ApplicationStatus.DRAFT:
        return window_open(application.cohort, today)
    return (application.status == ApplicationStatus.RETURNED
            and application.correction_due is not None and today <= application.correction_due)


def _check_editable(application: Application, today: date) -> None:
    if not editable(application, today):
        raise ApplicationError("not_editable")


def add_period(application: Application, today: date) -> ExperiencePeriod:
    _check_editable(application, today)
    period = ExperiencePeriod(organisation="")
    application.periods.append(period)
    db.session.flush()
    return period


def add_qualification(application: Application, today: date) -> Qualification:
    _check_editable(application, today)
    item = Qualification(name="", registration_number="")
    application.qualifications.append(item)
    db.session.flush()
    return item


def remove_item(application: Application, kind: str, item_id: int, today: date) -> None:
    _check_editable(application, today)
    if kind == "period":
        application.periods[:] = [i for i in application.periods if i.id != item_id]
    else:
        application.qualifications[:] = [i for i in application.qualifications
                                          if i.id != item_id]
    refresh_verdict(application)
    db.session.flush()


@dataclass
class _Reader:
    """Reads a draft's flat values (``period-3-start`` …), noting what cannot be read."""

    values: dict
    today: date
    problems: dict[str, str]

    def text(self, key: str, limit: int) -> str | None:
        value = self.values.get(key)
        return None if value is None else str(value).strip()[:limit]

    def choice(self, key: str, options) -> str | None:
        value = self.values.get(key)
        if value is None:
            return None
        value = str(value)
        if value and value not in options:
            self.problems[key] = "choice"
            return None
        return value

    def day(self, key: str, not_after: date | None = None) -> tuple[bool, date | None]:
        """(given, date): given False when the key is absent or unreadable (keep the old)."""
        if key not in self.values:
            return False, None
        raw = str(self.values[key] or "").strip()
        if not raw:
            return True, None
        try:
            day = rules.parse_date(raw)
        except rules.DateProblem as exc:
            self.problems[key] = f"date_{exc.code}"
            return False, None
        if not_after and day > not_after:
            self.problems[key] = "future"
            return False, None
        return True, day

    def count(self, key: str) -> tuple[bool, int | None]:
        if key not in self.values:
            return False, None
        raw = str(self.values[key] or "").strip()
        if not raw:
            return True, None
        try:
            return True, rules.normalise_count(raw)
        except ValueError:
            self.problems[key] = "count"
            return False, None


def save_draft(application: Application, values: dict, today: date) -> dict[str, str]:
    """Store every readable value of *values*; return the unreadable ones (name → code).

    What cannot be read (a date in the future, a month 13) is not stored, and the rest of the
    draft is: the applicant keeps their work and sees what to fix.
    """
    _check_editable(application, today)
    read = _Reader(values, today, {})
    for key, limit in (("full_name", 120), ("organisation", 200)):
        value = read.text(key, limit)
        if value is not None:
            setattr(application, key, value)
    furigana = read.text("furigana", 120)
    if furigana is not None:
        application.furigana = rules.normalise_furigana(furigana)
        if application.furigana and not rules.is_katakana(application.furigana):
            read.problems["furigana"] = "furigana"
    for key, options in (("prefecture", PREFECTURES), ("post_desk", POST_DESKS)):
        value = read.choice(key, options)
        if value is not None:
            setattr(application, key, value or None if key == "post_desk" else value)
    role = read.choice("post_role", tuple(PostRole))
    if role is not None:
        application.post_role = PostRole(role) if role else None
    for period in application.periods:
        _read_period(read, period)
    for item in application.qualifications:
        prefix = f"qual-{item.id}-"
        name = read.choice(prefix + "name", QUALIFICATION_NAMES)
        if name is not None:
            item.name = name
        number = read.text(prefix + "number", 60)
        if number is not None:
            item.registration_number = number
        given, day = read.day(prefix + "date", not_after=today)
        if given:
            item.registered_on = day
    application.saved_at = utcnow()
    refresh_verdict(application)
    db.session.flush()
    return read.problems


def _read_period(read: _Reader, period: ExperiencePeriod) -> None:
    prefix = f"period-{period.id}-"
    desk = read.choice(prefix + "desk", PERIOD_DESKS)
    if desk is not None:
        period.desk = desk or None
    organisation = read.text(prefix + "organisation", 200)
    if organisation is not None:
        period.organisation = organisation
    if prefix + "ongoing" in read.values or prefix + "end" in read.values:
        period.ongoing = str(read.values.get(prefix + "ongoing") or "") in ("yes", "on", "true")
    given, start = read.day(prefix + "start", not_after=read.today)
    if given:
        period.start_on = start
    given, end = read.day(prefix + "end", not_after=read.today)
    if given:
        period.end_on = end
    if period.ongoing:
        period.end_on = None
    if period.start_on and period.end_on and period.end_on < period.start_on:
        read.problems[prefix + "end"] = "before_start"
        period.end_on = None
    given, days = read.count(prefix + "days")
    if given:
        period.days_worked = days


def facts_of(application: Application) -> rules.Facts:
    """The rule's view of an application: incomplete periods are left out."""
    periods = tuple(
        rules.Period(p.desk or "other", p.start_on, None if p.ongoing else p.end_on,
                     p.days_worked or 0)
        for p in application.periods if p.start_on and (p.ongoing or p.end_on))
    return rules.Facts(application.cohort.training_start, application.post_desk, periods,
                       tuple(q.name for q in application.qualifications if q.name))


def refresh_verdict(application: Application) -> rules.Verdict:
    """Compute the §4 verdict on what is saved and store it with the rules version."""
    verdict = rules.eligibility(facts_of(application), thresholds())
    application.eligible = verdict.eligible
    application.days_in_post = verdict.days_in_post
    application.days_worked = verdict.days_worked
    application.reasons = list(verdict.reasons)
    application.rules_version = verdict.rules_version
    return verdict


def attach(application: Application, kind: str, item_id: int, filename: str, data: bytes,
           today: date) -> EvidenceFile:
    """Check and store an evidence file for one period or qualification (replacing any)."""
    _check_editable(application, today)
    items = application.periods if kind == "period" else application.qualifications
    item = next((i for i in items if i.id == item_id), None)
    if item is None:
        raise ApplicationError("invalid")
    cfg = current_app.config
    mime = evidence.check(filename, data, cfg["EVIDENCE_MAX_MB"] * 1024 * 1024)
    row = EvidenceFile(application_id=application.id, original_name=filename[-200:] or "file",
                       content_type=mime, size=len(data),
                       stored_path=evidence.store(cfg["UPLOAD_DIR"], application.id, mime, data))
    db.session.add(row)
    db.session.flush()
    item.evidence = row
    db.session.flush()
    return row


def missing_fields(application: Application) -> dict[str, str]:
    """What must be filled (or fixed) before submitting: input name → problem code."""
    missing = {key: "required" for key in ("full_name", "furigana", "organisation", "prefecture",
                                           "post_desk", "post_role")
               if not getattr(application, key)}
    if application.furigana and not rules.is_katakana(application.furigana):
        missing["furigana"] = "furigana"
    for p in application.periods:
        prefix = f"period-{p.id}-"
        for key, value in (("desk", p.desk), ("organisation", p.organisation),
                           ("start", p.start_on), ("days", p.days_worked)):
            if value in (None, ""):
                missing[prefix + key] = "required"
        if not p.ongoing and p.end_on is None:
            missing[prefix + "end"] = "required"
    for q in application.qualifications:
        prefix = f"qual-{q.id}-"
        for key, value in (("name", q.name), ("number", q.registration_number),
                           ("date", q.registered_on)):
            if not value:
                missing[prefix + key] = "required"
    return missing


def submit(application: Application, today: date) -> None:
    """Submit a complete draft (or a corrected returned application) to the office."""
    _check_editable(application, today)
    missing = missing_fields(application)
    if missing:
        raise ApplicationError("incomplete", missing)
    if not application.periods and not application.qualifications:
        raise ApplicationError("no_experience")
    refresh_verdict(application)
    resubmitted = application.status == ApplicationStatus.RETURNED
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = utcnow()
    db.session.flush()
    audit.record(application.user, "application.submit", application,
                 {"eligible": application.eligible, "rules_version": application.rules_version,
                  "resubmitted": resubmitted})
    record_statement(application.user, vocab.SUBMITTED, application)
    queue_to(application.user, N_("Your application was received"), N_(
        "%(name)s,\n\nYour application to %(cohort)s was received. The secretariat will "
        "check it and tell you the result by e-mail.\n\n%(link)s\n"),
        name=application.full_name, cohort=application.cohort.name,
        link=external_url("applications.edit", application_id=application.id))


def record_statement(actor: User, verb, application: Application,
                     result: dict | None = None) -> None:
    """One xAPI statement about *application*; *actor* is the applicant or the deciding
    administrator, the applicant is named in the context when they are not the actor."""
    cohort = application.cohort
    context: dict = {"contextActivities": {"parent": [xapi.activity(
        xapi.activity_iri("cohorts", str(cohort.id)), vocab.TYPE_COURSE, cohort.name)]}}
    if actor.id != application.user_id:
        context["extensions"] = {
            vocab.EXT_APPLICANT.iri:
                actor_for(application.user)}
    xapi.record(actor, verb, xapi.activity(
        xapi.activity_iri("applications", str(application.id)), vocab.TYPE_APPLICATION,
        f"受講申込（{cohort.name}）", f"Application ({cohort.name})"),
        result=result, context=context)
