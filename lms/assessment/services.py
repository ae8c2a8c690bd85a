"""Taking quizzes: start, save answers, grade, enforce time. Functions flush; callers commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update

from lms import audit, xapi
from lms.assessment import grading, interaction, itemreview, rules
from lms.assessment.models import (
    AttemptItem,
    AttemptStatus,
    Quiz,
    QuizAttempt,
    QuizOverride,
    TimeAccommodation,
)
from lms.assessment.snapshot import question_from_json, quiz_from_json, to_json
from lms.auth.models import User
from lms.cohorts.models import Enrolment
from lms.cohorts.services import current_enrolment
from lms.errors import UserError
from lms.extensions import db, rowcount
from lms.links import external_url
from lms.notify import notify
from lms.progression import registry
from lms.timeutil import utcnow
from lms.xapi import context as where
from lms.xapi import vocab


class QuizError(UserError):
    """A quiz action the rules refuse; ``code`` names the reason for the view's message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Allowance:
    """What a trainee may do with a quiz now."""

    used: int
    allowed: int | None  # None: unlimited
    next_start_at: datetime | None  # cool-down end, if still running
    open_attempt: QuizAttempt | None
    passed: bool
    time_limit_minutes: int | None  # the accommodation and overrides included
    extra_percent: int = 0  # the trainee's time accommodation, if any

    @property
    def left(self) -> int | None:
        return None if self.allowed is None else max(0, self.allowed - self.used)


def rules_of(quiz: Quiz):
    return quiz_from_json(quiz.definition)


def quiz_by_slug(slug: str) -> Quiz | None:
    return db.session.execute(db.select(Quiz).filter_by(slug=slug)).unique().scalar_one_or_none()


def session_test() -> Quiz | None:
    """The test sat in a course ② session's window (the kind registered ``in_session``)."""
    kinds = registry.kinds_where(lambda kind: kind.in_session)
    return db.session.execute(
        db.select(Quiz).where(Quiz.kind.in_(kinds)).order_by(Quiz.active.desc(), Quiz.slug)
    ).unique().scalars().first()


def attempts_of(user, quiz: Quiz) -> list[QuizAttempt]:
    return list(db.session.execute(
        db.select(QuizAttempt).filter_by(user_id=user.id, quiz_id=quiz.id)
        .order_by(QuizAttempt.number)).unique().scalars())


def _overrides(user, quiz: Quiz) -> tuple[int, int]:
    rows = db.session.execute(
        db.select(db.func.coalesce(db.func.sum(QuizOverride.extra_attempts), 0),
                  db.func.coalesce(db.func.sum(QuizOverride.extra_minutes), 0))
        .filter_by(user_id=user.id, quiz_id=quiz.id)).one()
    return int(rows[0]), int(rows[1])


def allowance(user, quiz: Quiz, now: datetime | None = None) -> Allowance:
    """Return attempts used and left, the cool-down, and any attempt still open."""
    now = now or utcnow()
    spec = rules_of(quiz)
    attempts = [expire_if_overdue(a, now) for a in attempts_of(user, quiz)]
    extra_attempts, extra_minutes = _overrides(user, quiz)
    allowed = None if spec.attempts is None else spec.attempts + extra_attempts
    finished = [a for a in attempts if a.status != AttemptStatus.IN_PROGRESS]
    next_start = None
    last_finished = finished[-1].finished_at if finished else None
    if last_finished is not None and spec.cooldown_minutes:
        ends = last_finished + timedelta(minutes=spec.cooldown_minutes)
        next_start = ends if ends > now else None
    accommodation = time_accommodation(user)
    limit = rules.time_limit(spec.time_limit_minutes, extra_minutes,
                             accommodation.extra_percent if accommodation else 0)
    return Allowance(
        used=len(attempts), allowed=allowed, next_start_at=next_start,
        open_attempt=next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None),
        passed=any(a.passed for a in finished),
        time_limit_minutes=limit, extra_percent=accommodation.extra_percent if accommodation else 0)


def activity_of(quiz: Quiz) -> dict:
    kind = registry.quiz_kind(quiz.kind)
    english = kind.english.format(group=quiz.group_letter or "") if kind else f"Test {quiz.slug}"
    return xapi.activity(xapi.activity_iri("quizzes", quiz.slug), vocab.TYPE_ASSESSMENT,
                         quiz.title, english)


def _stage_of(quiz: Quiz) -> dict | None:
    """The stage a test that belongs to no subject group concludes, as a statement's parent."""
    kind = registry.quiz_kind(quiz.kind)
    if kind is None or kind.stage is None:
        return None
    stage, ja, en = kind.stage
    return xapi.activity(xapi.activity_iri("stages", stage), vocab.TYPE_STAGE, ja, en)


def _context(attempt: QuizAttempt, parent: list[dict] | None = None, **extra) -> dict:
    """Where an attempt's statements belong: its enrolment (programme, cohort), and as
    parent the subject group of a group test (or *parent*)."""
    enrolment = db.session.execute(db.select(Enrolment).filter_by(
        registration=attempt.registration)).scalar_one_or_none() \
        if attempt.registration else None
    group = rules_of(attempt.quiz).group
    if parent is None and group:
        parent = [where.subject_group(group.upper())]
    elif parent is None and (stage := _stage_of(attempt.quiz)) is not None:
        parent = [stage]
    ctx = where.of(enrolment, parent=parent, **extra)
    if attempt.registration and enrolment is None:
        ctx["registration"] = attempt.registration
    return ctx


def registration_of(user) -> str | None:
    enrolment = current_enrolment(user)
    return enrolment.registration if enrolment else None


def require_attempt_left(state: Allowance) -> None:
    """Raise QuizError unless a new attempt may be made: not passed, attempts left, no
    cool-down running (online and paper attempts alike)."""
    if state.passed:
        raise QuizError("already_passed")
    if state.left == 0:
        raise QuizError("no_attempts_left")
    if state.next_start_at is not None:
        raise QuizError("cooldown", until=state.next_start_at)


def start_attempt(user, quiz: Quiz, now: datetime | None = None) -> QuizAttempt:
    """Resume the open attempt, or start a new one if attempts remain and no cool-down runs."""
    now = now or utcnow()
    state = allowance(user, quiz, now)
    if state.open_attempt is not None:
        return state.open_attempt
    require_attempt_left(state)
    spec = rules_of(quiz)
    if quiz.kind in itemreview.reviewed_kinds():  # §6(2)ア: approved item versions only
        spec = itemreview.approved_only(spec)
        if not itemreview.drawable(spec):
            raise QuizError("items_not_approved")
    seed = secrets.randbelow(2**31)
    attempt = QuizAttempt(
        user_id=user.id, quiz_id=quiz.id, number=state.used + 1, quiz_version=quiz.version,
        seed=seed, registration=registration_of(user), started_at=now,
        deadline_at=(now + timedelta(minutes=state.time_limit_minutes)
                     if state.time_limit_minutes else None))
    for position, (question_id, presentation) in enumerate(grading.draw_questions(spec, seed)):
        attempt.items.append(AttemptItem(
            position=position, question_id=question_id,
            question=to_json(spec.question(question_id)), presentation=list(presentation)))
    db.session.add(attempt)
    db.session.flush()
    xapi.record(user, vocab.ATTEMPTED, activity_of(quiz), timestamp=now, context=_context(
        attempt, extensions={vocab.EXT_ATTEMPT.iri: attempt.number}))
    return attempt


def expire_if_overdue(attempt: QuizAttempt, now: datetime | None = None) -> QuizAttempt:
    """Grade an open attempt whose time limit has passed, with the answers saved so far."""
    now = now or utcnow()
    if attempt.status == AttemptStatus.IN_PROGRESS and attempt.deadline_at and \
            now >= attempt.deadline_at:
        finish(attempt, now=attempt.deadline_at, expired=True)
    return attempt


def save_answer(user, attempt: QuizAttempt, question_id: str, response,
                now: datetime | None = None) -> AttemptItem:
    """Store one answer of an open attempt (replacing an earlier one) and record it."""
    now = now or utcnow()
    if attempt.user_id != user.id:
        raise QuizError("not_yours")
    expire_if_overdue(attempt, now)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise QuizError("closed")
    item = next((i for i in attempt.items if i.question_id == question_id), None)
    if item is None:
        raise QuizError("unknown_question")
    if item.response == response:
        return item  # the same answer again (a retried save): nothing to record
    item.response = response
    item.answered_at = now
    db.session.flush()
    # The interaction's definition holds the correct responses: statements stay on the
    # server (the LRS needs credentials), unlike the page, which never sees them.
    outcome = grading.grade_question(question_from_json(item.question), response)
    group = rules_of(attempt.quiz).group
    xapi.record(user, vocab.ANSWERED, xapi.activity(
        xapi.activity_iri("quizzes", attempt.quiz.slug, "questions", question_id),
        vocab.TYPE_QUESTION, item.question["prompt"][:200], f"Question {question_id}",
        **interaction.definition(item.question)),
        result={"response": interaction.response(item.question, response),
                "success": bool(outcome.correct)},
        context=_context(attempt, parent=[activity_of(attempt.quiz)], grouping=(
            [where.subject_group(group.upper())] if group else None)),
        timestamp=now)
    return item


def finish(attempt: QuizAttempt, now: datetime | None = None, expired: bool = False) -> bool:
    """Grade an open attempt exactly once; return False if it was already finished.

    The status change is one conditional UPDATE, so two submissions racing each other (a
    double click, two tabs) grade once on every database.
    """
    now = now or utcnow()
    status = AttemptStatus.EXPIRED if expired else AttemptStatus.SUBMITTED
    changed = rowcount(db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.status == AttemptStatus.IN_PROGRESS)
        .values(status=status, finished_at=now)
        .execution_options(synchronize_session=False)))
    if changed != 1:
        db.session.refresh(attempt)
        return False
    db.session.refresh(attempt)
    spec = rules_of(attempt.quiz)
    questions = [question_from_json(i.question) for i in attempt.items]
    result = grading.grade_attempt(questions, {i.question_id: i.response for i in attempt.items},
                                   spec.pass_percent, spec.pass_points)
    for item, outcome in zip(attempt.items, result.outcomes, strict=True):
        item.awarded, item.correct = outcome.awarded, outcome.correct
    attempt.score, attempt.possible = result.score, result.possible
    attempt.percent = result.percent
    settle(attempt, result.passed)
    db.session.flush()
    record_result(attempt, now)
    kind = registry.quiz_kind(attempt.quiz.kind)
    if attempt.passed and kind is not None and kind.on_pass is not None:
        kind.on_pass(attempt)  # what the kind's feature does besides (a new certificate)
    return True


def committee_decides(quiz: Quiz) -> bool:
    """Whether the committee, not the pass mark, decides this test's pass (§6(2)ア 合否)."""
    kind = registry.quiz_kind(quiz.kind)
    return kind is not None and kind.committee


def settle(attempt: QuizAttempt, meets_pass_mark: bool) -> None:
    """Set the graded result: the pass mark's answer is only a proposal where the committee
    decides, and ``passed`` stays None until it does."""
    attempt.proposed = meets_pass_mark
    attempt.passed = None if committee_decides(attempt.quiz) else meets_pass_mark


def score_of(attempt: QuizAttempt) -> dict:
    """The xAPI score of a graded attempt (raw, range and scaled)."""
    raw, possible = attempt.score, attempt.possible
    return {"raw": raw, "min": 0.0, "max": possible,
            "scaled": round(raw / possible, 4) if raw is not None and possible else 0.0}


def record_result(attempt: QuizAttempt, now: datetime, instructor: User | None = None) -> None:
    """Record the attempt's result; *instructor* entered it (a paper test), if anyone."""
    user = db.session.get_one(User, attempt.user_id)
    score = score_of(attempt)
    taken = max(0.0, (now - attempt.started_at).total_seconds())
    context = _context(attempt, instructor=instructor)
    if committee_decides(attempt.quiz):  # no pass or fail before the committee decides
        xapi.record(user, vocab.SCORED, activity_of(attempt.quiz),
                    result={"score": score, "completion": True,
                            "duration": f"PT{round(taken)}S"},
                    context=context, timestamp=now)
        return
    xapi.record(user, vocab.PASSED if attempt.passed else vocab.FAILED, activity_of(attempt.quiz),
                result={"score": score, "success": bool(attempt.passed), "completion": True,
                        "duration": f"PT{round(taken)}S"},
                context=context, timestamp=now)
    notify(user, "test_result_passed" if attempt.passed else "test_result_failed",
           link=external_url("quiz.index"), test=attempt.quiz.title,
           percent=round(attempt.percent or 0), when=now)
    kind = registry.quiz_kind(attempt.quiz.kind)
    stage = _stage_of(attempt.quiz)
    if attempt.passed and kind is not None and kind.completes_stage and stage is not None:
        xapi.record(user, vocab.COMPLETED, stage,
                    result={"completion": True, "success": True},
                    context=_context(attempt, parent=[]), timestamp=now)


def record_scored_attempt(user: User, quiz: Quiz, score: float, now: datetime | None = None,
                          instructor: User | None = None) -> QuizAttempt:
    """Record a finished attempt scored *score* away from the site (a test on paper).

    Graded by the quiz's pass rule (``grading.pass_decision``), counted against the attempts
    like an online one, and recorded as its result with *instructor* as who entered it. The
    caller checks the trainee may sit the test (``allowance``, ``require_attempt_left``).
    """
    now = now or utcnow()
    spec = rules_of(quiz)
    possible = spec.max_points_possible()
    percent, meets_pass_mark = grading.pass_decision(score, possible, spec.pass_percent,
                                                     spec.pass_points)
    attempt = QuizAttempt(
        user_id=user.id, quiz_id=quiz.id, number=len(attempts_of(user, quiz)) + 1,
        quiz_version=quiz.version, seed=secrets.randbelow(2**31),
        registration=registration_of(user), status=AttemptStatus.SUBMITTED, started_at=now,
        finished_at=now, score=float(score), possible=possible, percent=percent)
    attempt.quiz = quiz
    settle(attempt, meets_pass_mark)
    db.session.add(attempt)
    db.session.flush()
    record_result(attempt, now, instructor=instructor)
    return attempt


def time_accommodation(user) -> TimeAccommodation | None:
    """The extra time *user* has on every timed test, if an administrator granted it."""
    return db.session.execute(
        db.select(TimeAccommodation).filter_by(user_id=user.id)).scalar_one_or_none()


def set_time_accommodation(actor, user, extra_percent: int,
                           reason: str) -> TimeAccommodation | None:
    """Grant, change or (with 0) withdraw *user*'s extra time on timed tests; audited.

    Attempts already running keep the deadline they started with.
    """
    if not 0 <= extra_percent <= rules.MAX_EXTRA_PERCENT or (extra_percent and not reason.strip()):
        raise QuizError("bad_accommodation")
    current = time_accommodation(user)
    before = current.extra_percent if current else 0
    if extra_percent == 0:
        if current is not None:
            db.session.delete(current)
        current = None
    else:
        if current is None:
            current = TimeAccommodation(user_id=user.id, extra_percent=extra_percent, reason="")
            db.session.add(current)
        current.extra_percent = extra_percent
        current.reason = reason.strip()
        current.granted_by_id = actor.id
        current.granted_at = utcnow()
    db.session.flush()
    audit.record(actor, "quiz.time_accommodation", user, {
        "user": user.id, "extra_percent": extra_percent, "before": before,
        "reason": reason.strip()})
    return current
