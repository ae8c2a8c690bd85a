"""Committee review of certification-test items (§6(2)ア 監修・審査). Functions flush.

An item's version is the hash of its definition: editing the item in git makes a new version
that needs approval again. Only approved versions are drawn into a certification test, and
nobody approves an item they wrote.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass

from lms import audit, xapi
from lms.assessment.models import ItemReview, Quiz, ReviewStatus
from lms.assessment.quizfile import Question, QuizFile
from lms.assessment.snapshot import quiz_from_json, to_json
from lms.errors import UserError
from lms.extensions import db
from lms.progression import registry
from lms.xapi import vocab


def reviewed_kinds() -> tuple[str, ...]:
    """The kinds of test whose items the committee reviews (as their features register)."""
    return registry.kinds_where(lambda kind: kind.reviewed)


class ReviewError(UserError):
    """A review the rules refuse; ``code`` names the reason for the view's message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def item_version(question: Question) -> str:
    """Return the item's version: sha256 of its definition (any edit gives a new one)."""
    text = json.dumps(to_json(question), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Item:
    """One reviewed item as it is now in git, with the state of this version."""

    quiz: Quiz
    question: Question
    version: str
    #: draft (no review of this version yet) | approved | changes_requested
    state: str
    reviews: list[ItemReview]  #: of every version, newest first


def _reviews(question_ids: list[str]) -> dict[str, list[ItemReview]]:
    found: dict[str, list[ItemReview]] = {q: [] for q in question_ids}
    for row in db.session.scalars(db.select(ItemReview).where(
            ItemReview.question_id.in_(question_ids))
            .order_by(ItemReview.reviewed_at.desc(), ItemReview.id.desc())):
        found[row.question_id].append(row)
    return found


def _state(reviews: list[ItemReview], version: str) -> str:
    latest = next((r for r in reviews if r.version == version), None)
    return "draft" if latest is None else latest.status.value


def reviewed_items() -> list[Item]:
    """Every item of every active certification test, in file order, with its state."""
    quizzes = db.session.execute(db.select(Quiz).where(
        Quiz.active.is_(True), Quiz.kind.in_(reviewed_kinds())).order_by(Quiz.slug)
    ).unique().scalars().all()
    pairs = [(quiz, question) for quiz in quizzes
             for pool in quiz_from_json(quiz.definition).pools for question in pool.questions]
    reviews = _reviews([q.id for _, q in pairs])
    items = []
    for quiz, question in pairs:
        version = item_version(question)
        items.append(Item(quiz, question, version, _state(reviews[question.id], version),
                          reviews[question.id]))
    return items


def find_item(question_id: str) -> Item | None:
    return next((i for i in reviewed_items() if i.question.id == question_id), None)


def review(member, item: Item, status: ReviewStatus, comment: str) -> ItemReview:
    """Record *member*'s review of the item's current version; audited and recorded."""
    comment = comment.strip()
    if member.email.casefold() == item.question.author.casefold():
        raise ReviewError("own_item")
    if status == ReviewStatus.CHANGES_REQUESTED and not comment:
        raise ReviewError("comment_required")
    row = ItemReview(question_id=item.question.id, version=item.version, status=status,
                     comment=comment, reviewer_id=member.id)
    db.session.add(row)
    db.session.flush()
    audit.record(member, "item.review", row, {
        "question": item.question.id, "version": item.version, "status": status.value})
    xapi.record(member, vocab.APPROVED if status == ReviewStatus.APPROVED else vocab.RETURNED,
                xapi.activity(xapi.activity_iri("quizzes", item.quiz.slug, "questions",
                                                item.question.id),
                              vocab.TYPE_QUESTION, item.question.prompt[:200]),
                result={"response": item.version[:12]})
    return row


def approved_only(spec: QuizFile) -> QuizFile:
    """Return *spec* with only the committee-approved versions of its items in its pools."""
    ids = [q.id for pool in spec.pools for q in pool.questions]
    reviews = _reviews(ids)
    pools = tuple(
        dataclasses.replace(pool, questions=tuple(
            q for q in pool.questions if _state(reviews[q.id], item_version(q)) == "approved"))
        for pool in spec.pools)
    return dataclasses.replace(spec, pools=pools)


def drawable(spec: QuizFile) -> bool:
    """Whether every draw of *spec* finds enough questions in its pool."""
    sizes = {pool.id: len(pool.questions) for pool in spec.pools}
    return all(sizes.get(d.pool, 0) >= d.count for d in spec.draw)
