"""Statements stored per Tokyo day and verb: kept when statements are stored, read by charts.

The store only grows, so the tallies are exact counts of what :func:`lms.xapi.store.save`
(and the benchmark seeder) stored; the migration that made the table counted what was there.
What ``save`` stores is tallied when its transaction commits (:func:`count_stored`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lms.extensions import db
from lms.timeutil import TOKYO, today_tokyo
from lms.xapi import vocab
from lms.xapi.models import Statement, StatementTally

#: below this many rows (PostgreSQL's estimate) the store is counted exactly
EXACT_BELOW = 100_000


def tokyo_day(stored_at: datetime) -> date:
    """The Tokyo calendar day of a stored time (naive values are UTC)."""
    if stored_at.tzinfo is None:
        stored_at = stored_at.replace(tzinfo=UTC)
    return stored_at.astimezone(TOKYO).date()


#: ``session.info`` key: store sequence numbers saved in the transaction, not yet tallied
_PENDING = "lms_tally_seqs"
#: how many sequence numbers one query reads back
_CHUNK = 2000


def count_stored(seqs: Iterable[int]) -> None:
    """Note statements just stored (their store sequence numbers) for the tallies.

    The tallies are added when the transaction commits (:func:`install`), from the rows that
    are still there (a savepoint rolled back takes its statements with it), in one upsert
    whose keys are in order: a tally row is locked from then until the commit only, and
    writers storing verbs in opposite orders lock the rows alike and never deadlock.
    """
    db.session.info.setdefault(_PENDING, set()).update(seqs)


def _add_pending(session: Session) -> None:
    seqs = sorted(session.info.pop(_PENDING, ()))
    if not seqs:
        return
    counts: Counter[tuple[date, str]] = Counter()
    for start in range(0, len(seqs), _CHUNK):
        for at, verb in session.execute(select(Statement.stored_at, Statement.verb_id).where(
                Statement.seq.in_(seqs[start:start + _CHUNK]))):
            counts[(tokyo_day(at), verb)] += 1
    if not counts:
        return
    values = [{"day": day, "verb_id": verb, "count": n}
              for (day, verb), n in sorted(counts.items())]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(StatementTally).values(values)
    session.execute(stmt.on_conflict_do_update(
        index_elements=["day", "verb_id"],
        set_={"count": StatementTally.count + stmt.excluded["count"]}))


def _forget_pending(session: Session, transaction) -> None:
    if transaction.parent is None:  # rolled back (or committed, already added)
        session.info.pop(_PENDING, None)


_installed = False


def install() -> None:
    """Add the noted tallies before each commit (idempotent; called by the app factory)."""
    global _installed
    if not _installed:
        event.listen(Session, "before_commit", _add_pending)
        event.listen(Session, "after_transaction_end", _forget_pending)
        _installed = True


#: the tallies of the statements after a store sequence number, counted in the database
_ADD_SINCE = """
INSERT INTO statement_tally (day, verb_id, count)
SELECT {day}, verb_id, count(*) FROM statement WHERE seq > :after GROUP BY 1, 2
ON CONFLICT (day, verb_id) DO UPDATE SET count = statement_tally.count + excluded.count
"""
DAY_SQL = {"postgresql": "CAST(stored_at + interval '9 hours' AS date)",
           "sqlite": "date(stored_at, '+9 hours')"}


def count_stored_after(seq: int) -> None:
    """Add every statement stored after *seq* to the tallies (bulk loads bypassing save)."""
    dialect = db.session.get_bind().dialect.name
    db.session.execute(text(_ADD_SINCE.format(day=DAY_SQL[dialect])), {"after": seq})


def known_verbs() -> list[vocab.Verb]:
    """Every verb of the LMS's vocabulary, by its Japanese display."""
    found = {v.id: v for v in vars(vocab).values() if isinstance(v, vocab.Verb)}
    return sorted(found.values(), key=lambda v: v.ja)


def _first_day(days: int) -> date:
    return today_tokyo() - timedelta(days=days - 1)


def statements_per_day(days: int = 14) -> list[tuple[str, int]]:
    """Statements stored on each of the last *days* days (Tokyo dates), oldest first."""
    today = today_tokyo()
    counts = dict(db.session.execute(
        select(StatementTally.day, func.sum(StatementTally.count))
        .where(StatementTally.day >= _first_day(days)).group_by(StatementTally.day)).all())
    return [((d := today - timedelta(days=n)).strftime("%m/%d"), int(counts.get(d, 0)))
            for n in range(days - 1, -1, -1)]


def statements_per_verb(days: int = 14, most: int = 8) -> list[tuple[str, int]]:
    """The most frequent verbs of the last *days* days, by their Japanese display."""
    total = func.sum(StatementTally.count)
    rows = db.session.execute(
        select(StatementTally.verb_id, total).where(StatementTally.day >= _first_day(days))
        .group_by(StatementTally.verb_id).order_by(total.desc(), StatementTally.verb_id)
        .limit(most)).all()
    names = {v.id: v.ja for v in known_verbs()}
    return [(names.get(verb, verb.rsplit("/", 1)[-1]), int(n)) for verb, n in rows]


def stored_total() -> tuple[int, bool]:
    """How many statements the store holds, and whether the figure is an estimate.

    On PostgreSQL a large store is not counted (a count reads every row): the planner's
    estimate (``pg_class.reltuples``, kept by autovacuum) is close enough for a page.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        estimate = db.session.scalar(text(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = 'statement'::regclass"))
        if estimate is not None and estimate >= EXACT_BELOW:
            return int(estimate), True
    return db.session.scalar(select(func.count()).select_from(Statement)) or 0, False

