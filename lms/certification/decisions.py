"""The committee's certification decision (修了認定の決定, §6(2)): votes and a quorum. Flushes.

Each member votes certify, not certify or hold, with a reason. When ``CERTIFICATION_QUORUM``
votes agree, the outcome is the enrolment's :class:`CertificationDecision` (certificates are
issued from certified ones). A hold can later give way to another outcome; certified and not
certified are final. Certify is refused unless the enrolment is ready (every requirement,
the committee's test pass included), not withdrawn, declared and not disqualified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select

from lms import audit, xapi
from lms.assessment.models import AttemptStatus, Quiz, QuizAttempt
from lms.auth.models import User
from lms.certification import declarations, programme, rules, testresults
from lms.certification.models import CertificationDecision, CertificationVote, Outcome
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.timeutil import today_tokyo, utcnow
from lms.xapi.recorder import actor_for
from lms.xapi.vocab import DECIDED, TYPE_STAGE

#: the guideline's version the decisions apply (実施要綱, amended 2025-02-27)
RULE_VERSION = "2025-02-27"
FINAL = (Outcome.CERTIFIED, Outcome.NOT_CERTIFIED)

DecisionError = testresults.DecisionError


@dataclass(frozen=True)
class Standing:
    """What stands between an enrolment and certification on a given day."""

    evidence: list[rules.Evidence]
    withdrawn: bool
    declared: bool
    #: the grounds (ア–エ) that bar certification that day
    disqualified: list[str]

    @property
    def ready(self) -> bool:
        return rules.ready_for_decision(self.evidence, self.withdrawn)

    @property
    def blockers(self) -> list[str]:
        """Codes of every reason certify is refused (empty: it may be certified)."""
        found = []
        if self.withdrawn:
            found.append("withdrawn")
        if not rules.ready(self.evidence):
            found.append("not_ready")
        if not self.declared:
            found.append("no_declaration")
        if self.disqualified:
            found.append("disqualified")
        return found


def standing(enrolment: Enrolment, day: date | None = None) -> Standing:
    day = day or today_tokyo()
    user = db.session.get_one(User, enrolment.user_id)
    evidence = testresults.evidence_for([(enrolment, user)])[enrolment.id]
    return Standing(evidence, enrolment.status == EnrolmentStatus.WITHDRAWN,
                    declarations.submitted(enrolment), declarations.flags(enrolment, day))


def decision_of(enrolment: Enrolment) -> CertificationDecision | None:
    return db.session.scalar(select(CertificationDecision).filter_by(enrolment_id=enrolment.id))


def votes_of(enrolment: Enrolment) -> list[CertificationVote]:
    return list(db.session.scalars(select(CertificationVote).filter_by(
        enrolment_id=enrolment.id).order_by(CertificationVote.voted_at, CertificationVote.id)))


def vote(member: User, enrolment: Enrolment, outcome: Outcome, reason: str,
         day: date | None = None) -> CertificationDecision | None:
    """Record *member*'s vote; return the decision if this vote completed a quorum."""
    testresults.require_member(member)
    # two members voting at once: the second waits, then counts the first's vote
    testresults.lock_enrolment(enrolment)
    day = day or today_tokyo()
    reason = reason.strip()
    if outcome != Outcome.CERTIFIED and not reason:
        raise DecisionError("reason_required")
    decision = decision_of(enrolment)
    if decision is not None and decision.outcome in FINAL:
        raise DecisionError("already_decided")
    if outcome == Outcome.CERTIFIED:
        blockers = standing(enrolment, day).blockers
        if blockers:
            raise DecisionError(blockers[0])
    row = db.session.scalar(select(CertificationVote).filter_by(
        enrolment_id=enrolment.id, member_id=member.id))
    if row is None:
        row = CertificationVote(enrolment_id=enrolment.id, member_id=member.id)
        db.session.add(row)
    row.outcome, row.reason, row.voted_at = outcome, reason, utcnow()
    db.session.flush()
    audit.record(member, "certification.vote", row, {
        "enrolment": enrolment.id, "outcome": outcome.value, "reason": reason})
    agreed = rules.quorum_outcome([v.outcome.value for v in votes_of(enrolment)],
                                  current_app.config["CERTIFICATION_QUORUM"])
    if agreed is None or (decision is not None and decision.outcome == agreed):
        return None
    return _decide(member, enrolment, decision, Outcome(agreed), day)


def _decide(member: User, enrolment: Enrolment, decision: CertificationDecision | None,
            outcome: Outcome, day: date) -> CertificationDecision:
    reasons = "\n".join(v.reason for v in votes_of(enrolment) if v.outcome == outcome
                        and v.reason)
    replaced = None if decision is None else decision.outcome.value
    if decision is None:
        decision = CertificationDecision(enrolment_id=enrolment.id)
        db.session.add(decision)
    decision.outcome, decision.decided_on, decision.reason = outcome, day, reasons
    decision.rule_version, decision.decided_by_id = RULE_VERSION, member.id
    db.session.flush()
    audit.record(member, "certification.decide", decision, {
        "enrolment": enrolment.id, "outcome": outcome.value, "decided_on": day.isoformat(),
        "replaced": replaced})
    trainee = db.session.get(User, enrolment.user_id)
    result: dict[str, Any] = {"response": outcome.value}
    if outcome in FINAL:
        result["success"] = outcome == Outcome.CERTIFIED
    xapi.record(member, DECIDED, actor_for(trainee), result=result, context={
        "contextActivities": {"parent": [xapi.activity(
            xapi.activity_iri("stages", programme.STAGE[0]), TYPE_STAGE,
            *programme.STAGE[1:])]}}, registration=enrolment.registration)
    return decision


@dataclass(frozen=True)
class Candidate:
    """A trainee awaiting the committee: their test result, or the certification decision."""

    enrolment: Enrolment
    user: User
    #: "test" (the test result awaits a decision) or "decision" (certify / not / hold)
    awaiting: str
    ready: bool
    on_hold: bool


def candidates() -> list[Candidate]:
    """Every enrolment that took the certification test and has no final decision yet."""
    pairs = [(enrolment, user) for enrolment, user in db.session.execute(
        select(Enrolment, User).join(User, User.id == Enrolment.user_id)
        .join(QuizAttempt, QuizAttempt.registration == Enrolment.registration)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .outerjoin(CertificationDecision, CertificationDecision.enrolment_id == Enrolment.id)
        .where(Quiz.kind == programme.KIND.name, QuizAttempt.status != AttemptStatus.IN_PROGRESS,
               Enrolment.status != EnrolmentStatus.WITHDRAWN,
               (CertificationDecision.id.is_(None))
               | (CertificationDecision.outcome == Outcome.HOLD))
        .order_by(Enrolment.cohort_id, User.name)).unique().all()]
    pairs = list(dict.fromkeys(pairs))  # one row per enrolment even with several attempts
    evidence = testresults.evidence_for(pairs)
    decided = testresults.decided_tests([e for e, _u in pairs])
    held = set(db.session.scalars(select(CertificationDecision.enrolment_id).where(
        CertificationDecision.outcome == Outcome.HOLD)))
    return [Candidate(e, u, "decision" if e.id in decided else "test",
                      rules.ready(evidence[e.id]), e.id in held) for e, u in pairs]
