"""Write statements to the store: rows, index refs, voiding and the forwarding outbox.

Both paths into the store use :func:`save`: the LMS's recorder and the LRS's Statements
resource. It flushes; the caller commits.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import insert, select, update

from lms.extensions import db
from lms.xapi import index, tallies
from lms.xapi.models import OutboxEntry, Statement, StatementRef

#: ``Statement.source`` of the statements the LMS itself recorded (authority: the LMS)
LMS_SOURCE = "lms"


def row_for(statement: dict[str, Any], source: str) -> dict[str, Any]:
    """Return the column values of a complete statement (id, stored, timestamp set)."""
    context = statement.get("context") or {}
    return {
        "statement_id": statement["id"],
        "stored_at": index.parse_timestamp(statement["stored"]),
        "timestamp": index.parse_timestamp(statement["timestamp"]),
        "actor_key": index.agent_key(statement["actor"]) or "Group|anonymous",
        "verb_id": statement["verb"]["id"],
        "object_id": index.object_key(statement),
        "registration": context.get("registration"),
        "ref_target": index.ref_target(statement),
        "voided": False,
        "source": source,
        "payload": statement,
    }


def save(statements: list[dict[str, Any]], *, source: str) -> list[int]:
    """Store complete statements in order and return their store sequence numbers."""
    if not statements:
        return []
    rows = [row_for(s, source) for s in statements]
    result = db.session.execute(
        insert(Statement).returning(Statement.seq, sort_by_parameter_order=True), rows)
    seqs = [r[0] for r in result]
    tallies.count_stored(seqs)
    own = [index.refs(s) for s in statements]
    _inherit_target_refs(statements, own)
    refs = [{"statement_seq": seq, "kind": int(kind), "key": key}
            for seq, keys in zip(seqs, own, strict=True) for key, kind in keys.items()]
    if refs:
        db.session.execute(insert(StatementRef), refs)
    if source != LMS_SOURCE:  # the LMS's own ids are fresh: nothing targets them yet
        _lend_refs(statements, seqs, own)
    voided = [index.ref_target(s) for s in statements if index.is_voiding(s)]
    if voided:  # a sender voids only what it sent itself
        db.session.execute(
            update(Statement).where(Statement.statement_id.in_(voided),
                                    Statement.verb_id != index.VOIDED_VERB,
                                    Statement.source == source)
            .values(voided=True).execution_options(synchronize_session=False))
    if source != LMS_SOURCE:  # the LMS's own ids are fresh: nothing can have voided them yet
        _apply_earlier_voiding([s["id"] for s in statements if not index.is_voiding(s)],
                               source)
    if current_app.config.get("XAPI_FORWARD_URL"):
        db.session.execute(insert(OutboxEntry), [{"statement_seq": seq} for seq in seqs])
    return seqs


def _apply_earlier_voiding(statement_ids: list[str], source: str) -> None:
    """Void the statements among *statement_ids* that a stored voiding statement of the same
    sender targets."""
    late = db.session.scalars(select(Statement.ref_target).where(
        Statement.ref_target.in_(statement_ids), Statement.verb_id == index.VOIDED_VERB,
        Statement.source == source)).all()
    if late:
        db.session.execute(update(Statement).where(Statement.statement_id.in_(late))
                           .values(voided=True).execution_options(synchronize_session=False))


def _inherit_target_refs(statements: list[dict[str, Any]],
                         own: list[dict[str, index.RefKind]]) -> None:
    """A statement that targets another by StatementRef is found by that one's agents,
    activities and verb too (xAPI 1.0.3 "Filter Conditions for StatementRefs"), one level
    deep, when the target is stored first or in the same batch (:func:`_lend_refs` covers a
    target that arrives later).
    """
    targets = {index.ref_target(s) for s in statements} - {None}
    if not targets:
        return
    inherited: dict[str, dict[str, index.RefKind]] = {
        s["id"]: _lendable(s["verb"]["id"], keys)
        for s, keys in zip(statements, own, strict=True) if s["id"] in targets}
    rows = db.session.execute(
        select(Statement.statement_id, Statement.verb_id, StatementRef.key, StatementRef.kind)
        .outerjoin(StatementRef, StatementRef.statement_seq == Statement.seq)
        .where(Statement.statement_id.in_(targets - set(inherited)))).all()
    for statement_id, verb_id, key, kind in rows:
        lent = inherited.setdefault(statement_id, {
            index.target_verb_key(verb_id): index.RefKind.TARGET_VERB})
        if key is not None and kind != index.RefKind.TARGET_VERB:
            lent[key] = index.RefKind(kind)
    for statement, keys in zip(statements, own, strict=True):
        for key, kind in inherited.get(index.ref_target(statement) or "", {}).items():
            _add(keys, key, kind)


def _lendable(verb_id: str, keys: dict[str, index.RefKind]) -> dict[str, index.RefKind]:
    """What a target lends the statements that target it: its keys and its verb."""
    lent: dict[str, index.RefKind] = {k: v for k, v in keys.items()
                                      if v != index.RefKind.TARGET_VERB}
    lent[index.target_verb_key(verb_id)] = index.RefKind.TARGET_VERB
    return lent


def _add(keys: dict[str, index.RefKind], key: str, kind: index.RefKind) -> None:
    if key not in keys or kind < keys[key]:
        keys[key] = kind


def _lend_refs(statements: list[dict[str, Any]], seqs: list[int],
               own: list[dict[str, index.RefKind]]) -> None:
    """Give statements stored earlier that target one of *statements* its keys and verb, so
    that StatementRef targeting does not depend on the order statements arrive in."""
    by_id = {s["id"]: _lendable(s["verb"]["id"], keys)
             for s, keys in zip(statements, own, strict=True)}
    new = set(seqs)
    rows = db.session.execute(select(Statement.seq, Statement.ref_target).where(
        Statement.ref_target.in_(list(by_id)))).all()
    refs = []
    for seq, target in rows:
        if seq in new:
            continue
        keys: dict[str, index.RefKind] = {}
        for key, kind in by_id[target].items():
            _add(keys, key, kind)
        refs += [{"statement_seq": seq, "kind": int(kind), "key": key}
                 for key, kind in keys.items()]
    if refs:
        db.session.execute(insert(StatementRef), refs)


def existing(statement_ids: list[str]) -> dict[str, Statement]:
    """Return the stored statements among *statement_ids*, by id."""
    if not statement_ids:
        return {}
    rows = db.session.execute(
        select(Statement).where(Statement.statement_id.in_(statement_ids))).scalars()
    return {row.statement_id: row for row in rows}
