"""Medians of many (start, end) spans, worked out in the database: only the middle spans and
the counts come back, however many trainees the spans belong to."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.sql import Subquery

from lms.extensions import db
from lms.office import rules


def _length(start, end):
    """end − start, as something the database orders by (an interval or days)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return end - start
    return func.julianday(end) - func.julianday(start)


def median_days(spans: Subquery) -> dict[Hashable, tuple[float | None, int]]:
    """{group: (median days, spans)} for *spans*, a subquery of ``(key, start, end)``: the
    median as :func:`rules.median_days` gives it (spans that end before they start left out
    of it), the count of every span of the group. One query; groups without spans absent."""
    forward = case((spans.c.end >= spans.c.start, 1), else_=0).label("forward")
    part = [spans.c.key, forward]
    ranked = select(
        spans.c.key, spans.c.start, spans.c.end, forward,
        func.row_number().over(partition_by=part,
                               order_by=_length(spans.c.start, spans.c.end)).label("rank"),
        func.count().over(partition_by=part).label("n")).subquery()
    middle = ranked.c.rank.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2])
    rows = db.session.execute(select(ranked).where(
        or_(ranked.c.rank == 1, and_(ranked.c.forward == 1, middle)))).all()
    counts: dict[Hashable, int] = {}
    middles: dict[Hashable, list[tuple[datetime, datetime]]] = {}
    for group, start, end, is_forward, rank, n in rows:
        if rank == 1:
            counts[group] = counts.get(group, 0) + n
        if is_forward and rank in ((n + 1) // 2, (n + 2) // 2):
            middles.setdefault(group, []).append((start, end))
    return {group: (rules.median_days(middles.get(group, ())), n)
            for group, n in counts.items()}
