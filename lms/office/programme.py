"""The programme view across cohorts: each section is a chart (SVG, drawn on the server) with
its numbers in a table.

Sections register here, so data that other features own (trainees by prefecture and desk
type from applications, certifications per fiscal year from certificates, renewals due)
plug in with one call: ``register_section(fn)``, *fn* returning a :class:`Section` or None
when it has no data yet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.assessment.models import AttemptStatus, Quiz, QuizAttempt
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.office import rules
from lms.practice.models import PracticeReport, ReportStatus
from lms.practice.programme import completed_enrolments
from lms.progression import registry


@dataclass(frozen=True)
class Section:
    title: str
    #: (label, value) bars for the chart macro
    chart: Sequence[tuple[str, float]]
    headers: Sequence[str]
    rows: Sequence[tuple]


_SECTIONS: list[Callable[[], Section | None]] = []


def register_section(build: Callable[[], Section | None]) -> Callable[[], Section | None]:
    _SECTIONS.append(build)
    return build


def sections() -> list[Section]:
    return [s for s in (build() for build in _SECTIONS) if s is not None]


def _short(title: str) -> str:
    """A test's title without its parenthesised subject, to fit a chart's label."""
    return title.split("（")[0].split("(")[0].strip() or title


@register_section
def pass_rates() -> Section:
    attempts = db.session.execute(
        select(Quiz.title, QuizAttempt.number, QuizAttempt.passed).join(Quiz)
        .where(QuizAttempt.status != AttemptStatus.IN_PROGRESS,
               QuizAttempt.passed.is_not(None))).all()
    table = rules.pass_rates((t, n, bool(p)) for t, n, p in attempts)
    return Section(
        _("Pass rate per test and attempt (%)"),
        [(_("%(test)s, attempt %(n)s", test=_short(t), n=n), round(100 * p / s))
         for t, n, p, s in table],
        [_("Test"), _("Attempt"), _("Passed"), _("Sat"), _("Pass rate (%)")],
        [(t, n, p, s, round(100 * p / s)) for t, n, p, s in table])


@register_section
def time_per_stage() -> Section:
    # course ① ends with the pass of a test whose kind completes the stage (comprehensive)
    passed = dict(db.session.execute(
        select(QuizAttempt.user_id, func.min(QuizAttempt.finished_at)).join(Quiz)
        .where(Quiz.kind.in_(registry.kinds_where(lambda kind: kind.completes_stage)),
               QuizAttempt.passed.is_(True))
        .group_by(QuizAttempt.user_id)).all())
    practice_done = dict(db.session.execute(
        select(PracticeReport.enrolment_id, func.max(PracticeReport.accepted_at))
        .where(PracticeReport.status == ReportStatus.ACCEPTED)
        .group_by(PracticeReport.enrolment_id)).all())
    complete = completed_enrolments(practice_done)
    practice_done = {e: at for e, at in practice_done.items() if e in complete}
    course1: list[tuple[datetime, datetime]] = []
    practice: list[tuple[datetime, datetime]] = []
    for enrolment_id, user_id, enrolled_at in db.session.execute(
            select(Enrolment.id, Enrolment.user_id, Enrolment.enrolled_at)).all():
        passed_at = passed.get(user_id)
        if passed_at:
            course1.append((enrolled_at, passed_at))
            done_at = practice_done.get(enrolment_id)
            if done_at:
                practice.append((passed_at, done_at))
    stages = [(_("Course 1"), _("Course 1: enrolment to passing the comprehensive test"), course1),
              (_("Practice"), _("Practice: comprehensive test to the last accepted report"),
               practice)]
    medians = [(short, name, rules.median_days(spans), len(spans))
               for short, name, spans in stages]
    return Section(
        _("Time per stage (median days)"),
        [(short, m) for short, _name, m, _n in medians if m is not None],
        [_("Stage"), _("Median days"), _("Trainees")],
        [(name, "—" if m is None else m, n) for _short, name, m, n in medians])
