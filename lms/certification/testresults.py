"""The committee decides the certification test's pass or fail (§6(2)ア 合否). Functions flush.

The LMS only scores the test and proposes a result; the decision is a
:class:`CertificationTestDecision` row, sets the attempt's ``passed`` (so gating sees it)
and is a statement whose actor is the deciding member. Readiness counts only that
statement (``rules.Requirement.committee``).
"""

from __future__ import annotations

from sqlalchemy import select, update

from lms import audit, xapi
from lms.assessment import services as quizzes
from lms.assessment.models import AttemptStatus, Quiz, QuizAttempt
from lms.auth.models import User
from lms.certification import programme, readiness, rules
from lms.certification.models import CertificationTestDecision
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.errors import UserError
from lms.extensions import db
from lms.security import Role
from lms.xapi.models import Statement
from lms.xapi.recorder import actor_for
from lms.xapi.vocab import DECIDED

CERTIFICATION_QUIZ = programme.CERTIFIES.partition(":")[2]


class DecisionError(UserError):
    """A decision the rules refuse; ``code`` names the reason for the view's message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        #: set when deciding a whole cohort, so that the view names the trainee
        self.enrolment_id: int | None = None


def lock_enrolment(enrolment: Enrolment) -> None:
    """Hold the enrolment's row for the rest of the transaction (a no-op UPDATE: a row lock on
    PostgreSQL, the write lock on SQLite), so that two members deciding at once take turns."""
    db.session.execute(update(Enrolment).where(Enrolment.id == enrolment.id)
                       .values(status=Enrolment.status)
                       .execution_options(synchronize_session=False))


def require_member(member) -> None:
    if not member.has_role(Role.COMMITTEE):
        raise DecisionError("not_a_member")


def certification_attempts(enrolments: list[Enrolment]) -> dict[int, QuizAttempt]:
    """The latest finished certification-test attempt of each enrolment that has one."""
    registrations = {e.registration: e.id for e in enrolments}
    rows = db.session.execute(
        select(QuizAttempt).join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .where(Quiz.kind == programme.KIND.name, QuizAttempt.registration.in_(list(registrations)),
               QuizAttempt.status != AttemptStatus.IN_PROGRESS)
        .order_by(QuizAttempt.number)).unique().scalars()
    return {registrations[a.registration]: a for a in rows if a.registration is not None}


def decided_tests(enrolments: list[Enrolment]) -> dict[int, CertificationTestDecision]:
    ids = [e.id for e in enrolments]
    return {d.enrolment_id: d for d in db.session.scalars(
        select(CertificationTestDecision).where(CertificationTestDecision.enrolment_id.in_(ids)))}


def decide_test(member: User, enrolment: Enrolment, passed: bool, note: str = "",
                attempt: QuizAttempt | None = None) -> CertificationTestDecision:
    """Record the committee's pass or fail of the enrolment's certification test, once."""
    require_member(member)
    lock_enrolment(enrolment)
    attempt = attempt or certification_attempts([enrolment]).get(enrolment.id)
    if attempt is None:
        raise DecisionError("no_attempt")
    if db.session.scalar(select(CertificationTestDecision.id).filter_by(enrolment_id=enrolment.id)):
        raise DecisionError("already_decided")
    note = note.strip()
    if passed != attempt.proposed and not note:
        raise DecisionError("note_required")  # an exception to the proposal says why
    decision = CertificationTestDecision(enrolment_id=enrolment.id, attempt_id=attempt.id,
                                         passed=passed, note=note, decided_by_id=member.id)
    db.session.add(decision)
    attempt.passed = passed
    db.session.flush()
    audit.record(member, "certification.test_decision", decision, {
        "enrolment": enrolment.id, "attempt": attempt.id, "passed": passed,
        "proposed": attempt.proposed, "note": note})
    trainee = db.session.get(User, enrolment.user_id)
    xapi.record(member, DECIDED, actor_for(trainee),
                result={"success": passed, "score": quizzes.score_of(attempt),
                        "response": "passed" if passed else "failed"},
                context={"contextActivities": {"parent": [quizzes.activity_of(attempt.quiz)]}},
                registration=enrolment.registration)
    return decision


def decide_cohort(member: User, enrolments: list[Enrolment],
                  choices: dict[int, tuple[bool, str]]) -> int:
    """Decide every undecided finished test of *enrolments* in one action: the proposal,
    unless *choices* gives (passed, note) for the enrolment. Returns how many were decided."""
    attempts = certification_attempts(enrolments)
    decided = decided_tests(enrolments)
    count = 0
    for enrolment in enrolments:
        attempt = attempts.get(enrolment.id)
        if attempt is None or enrolment.id in decided or \
                enrolment.status == EnrolmentStatus.WITHDRAWN:
            continue
        passed, note = choices.get(enrolment.id, (bool(attempt.proposed), ""))
        try:
            decide_test(member, enrolment, passed, note, attempt)
        except DecisionError as exc:
            exc.enrolment_id = enrolment.id
            raise
        count += 1
    return count


def committee_records(registrations: dict[int, str]) -> dict[int, list[rules.Record]]:
    """The committee's test decisions about each user, as readiness records (one query)."""
    by_registration = {reg: uid for uid, reg in registrations.items()}
    parent = xapi.activity_iri("quizzes", CERTIFICATION_QUIZ)
    rows = db.session.execute(
        select(Statement.statement_id, Statement.timestamp, Statement.seq,
               Statement.registration, Statement.payload)
        .where(Statement.verb_id == DECIDED.id, Statement.source == "lms",
               Statement.registration.in_(list(by_registration)),
               Statement.voided.is_(False))).all()
    found: dict[int, list[rules.Record]] = {uid: [] for uid in registrations}
    for row in rows:
        parents = row.payload.get("context", {}).get("contextActivities", {}).get("parent", [])
        if not any(p.get("id") == parent for p in parents):
            continue
        verb = rules.PASSED if row.payload.get("result", {}).get("success") else rules.FAILED
        found[by_registration[row.registration]].append(rules.Record(
            row.statement_id, verb, f"quizzes/{CERTIFICATION_QUIZ}", row.timestamp, row.seq,
            committee=True))
    return found


def evidence_for(pairs: list[tuple[Enrolment, User]]) -> dict[int, list[rules.Evidence]]:
    """Each enrolment's readiness evidence: the trainee's records and the committee's
    decisions (:func:`readiness.records_for` plus :func:`committee_records`)."""
    users = [u for _, u in pairs]
    registrations = {u.id: e.registration for e, u in pairs}
    records = readiness.records_for(users, registrations)
    decisions = committee_records(registrations)
    requirements = programme.requirements()
    return {e.id: rules.evidence(records[u.id] + decisions[u.id], requirements)
            for e, u in pairs}
