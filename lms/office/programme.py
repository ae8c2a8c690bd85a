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

from flask_babel import gettext as _
from sqlalchemy import case, func, literal, select, union_all

from lms.assessment.models import AttemptStatus, Quiz, QuizAttempt
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.office import spans
from lms.practice.models import PracticeReport, ReportStatus
from lms.practice.programme import completed_enrolments_query
from lms.progression import registry


@dataclass(frozen=True)
class Section:
    title: str
    #: (label, value) bars for the chart macro
    chart: Sequence[tuple[str, float]]
    headers: Sequence[str]
    rows: Sequence[tuple]
    #: the chart's own (label, value) column names, where *headers* has more than those two
    chart_headers: tuple[str, str] | None = None


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
    # grouped by test id first: joining the tests' titles to each attempt costs more
    per_test = (select(QuizAttempt.quiz_id, QuizAttempt.number,
                       func.sum(case((QuizAttempt.passed.is_(True), 1), else_=0)).label("passed"),
                       func.count().label("sat"))
                .where(QuizAttempt.status != AttemptStatus.IN_PROGRESS,
                       QuizAttempt.passed.is_not(None))
                .group_by(QuizAttempt.quiz_id, QuizAttempt.number).subquery())
    cells: dict[tuple[str, int], list[int]] = {}
    for title, number, passed, sat in db.session.execute(
            select(Quiz.title, per_test.c.number, per_test.c.passed, per_test.c.sat)
            .join(per_test, per_test.c.quiz_id == Quiz.id)):
        cell = cells.setdefault((title, number), [0, 0])  # tests may share a title
        cell[0] += int(passed)
        cell[1] += int(sat)
    table = [(t, n, p, s) for (t, n), (p, s) in sorted(cells.items())]
    return Section(
        _("Pass rate per test and attempt (%)"),
        [(_("%(test)s, attempt %(n)s", test=_short(t), n=n), round(100 * p / s))
         for t, n, p, s in table],
        [_("Test"), _("Attempt"), _("Passed"), _("Sat"), _("Pass rate (%)")],
        [(t, n, p, s, round(100 * p / s)) for t, n, p, s in table],
        chart_headers=(_("Test"), _("Pass rate (%)")))


COURSE1, PRACTICE = 1, 2


def _stage_spans():
    """(stage, start, end) for every enrolment: course ① from enrolment to the trainee's
    first pass of a test whose kind completes the stage (comprehensive), practice from that
    pass to the last accepted report of an enrolment whose practice is complete."""
    passed = (select(QuizAttempt.user_id, func.min(QuizAttempt.finished_at).label("at"))
              .join(Quiz)
              .where(Quiz.kind.in_(registry.kinds_where(lambda kind: kind.completes_stage)),
                     QuizAttempt.passed.is_(True))
              .group_by(QuizAttempt.user_id).subquery())
    done = (select(PracticeReport.enrolment_id, func.max(PracticeReport.accepted_at).label("at"))
            .where(PracticeReport.status == ReportStatus.ACCEPTED,
                   PracticeReport.enrolment_id.in_(completed_enrolments_query()))
            .group_by(PracticeReport.enrolment_id).subquery())
    course1 = (select(literal(COURSE1).label("key"), Enrolment.enrolled_at.label("start"),
                      passed.c.at.label("end"))
               .join(passed, passed.c.user_id == Enrolment.user_id)
               .where(passed.c.at.is_not(None)))
    practice = (select(literal(PRACTICE), passed.c.at, done.c.at).select_from(Enrolment)
                .join(passed, passed.c.user_id == Enrolment.user_id)
                .join(done, done.c.enrolment_id == Enrolment.id)
                .where(passed.c.at.is_not(None), done.c.at.is_not(None)))
    return union_all(course1, practice).subquery()


@register_section
def time_per_stage() -> Section:
    found = spans.median_days(_stage_spans())
    stages = [(_("Course 1"), _("Course 1: enrolment to passing the comprehensive test"),
               COURSE1),
              (_("Practice"), _("Practice: comprehensive test to the last accepted report"),
               PRACTICE)]
    medians = [(short, name, *found.get(group, (None, 0))) for short, name, group in stages]
    return Section(
        _("Time per stage (median days)"),
        [(short, m) for short, _name, m, _n in medians if m is not None],
        [_("Stage"), _("Median days"), _("Trainees")],
        [(name, "—" if m is None else m, n) for _short, name, m, n in medians],
        chart_headers=(_("Stage"), _("Median days")))
