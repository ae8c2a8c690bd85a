"""Finding audit events: filters by person, action, record and date, for the page and export."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select

from lms.audit.labels import action_label, details_rows, people_names, target_view
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.timeutil import TOKYO

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    #: an exact action code, or a prefix ending with "." (``practice.``)
    action: str = ""
    #: ``Type:id``, e.g. ``Enrolment:12``
    target: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AuditFilter:
        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(args.get(name, ""))
            except ValueError:
                return None

        actor = args.get("actor", "")
        return cls(int(actor) if actor.isdigit() else None, args.get("action", "").strip(),
                   args.get("target", "").strip(), day("since"), day("until"))

    def as_args(self) -> dict[str, str]:
        found = {"actor": str(self.actor_id or ""), "action": self.action,
                 "target": self.target, "since": self.since.isoformat() if self.since else "",
                 "until": self.until.isoformat() if self.until else ""}
        return {k: v for k, v in found.items() if v}


def _statement(f: AuditFilter) -> Select:
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if f.actor_id:
        stmt = stmt.where(AuditEvent.actor_id == f.actor_id)
    if f.action.endswith("."):
        stmt = stmt.where(AuditEvent.action.startswith(f.action, autoescape=True))
    elif f.action:
        stmt = stmt.where(AuditEvent.action == f.action)
    if ":" in f.target:
        kind, ident = f.target.split(":", 1)
        stmt = stmt.where(AuditEvent.target_type == kind, AuditEvent.target_id == ident)
    # dates are Tokyo calendar days
    if f.since:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(f.since, time(), TOKYO))
    if f.until:
        stmt = stmt.where(AuditEvent.at < datetime.combine(f.until + timedelta(days=1), time(),
                                                           TOKYO))
    return stmt


@dataclass(frozen=True)
class AuditLine:
    """An event as people read it."""

    event: AuditEvent
    who: str
    action: str
    target: str
    target_url: str | None
    details: list[tuple[str, str]]


def _lines(events: Iterable[AuditEvent], system: str) -> list[AuditLine]:
    """Events as people read them: one query names everyone who acted in them."""
    events = list(events)
    names = people_names({e.actor_id for e in events if e.actor_id is not None})
    lines = []
    for event in events:
        target = target_view(event.target_type, event.target_id)
        who = names.get(event.actor_id, system) if event.actor_id is not None else system
        lines.append(AuditLine(event, who, action_label(event.action), target.label,
                               target.url, details_rows(event.details)))
    return lines


def audit_page(f: AuditFilter, page: int, system: str) -> tuple[list[AuditLine], int]:
    """One page of readable events (newest first) and the number of matching events."""
    total = db.session.scalar(select(db.func.count()).select_from(
        _statement(f).order_by(None).subquery()))
    rows = db.session.execute(
        _statement(f).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).scalars()
    return _lines(rows, system), total or 0


def actors() -> list[tuple[int, str]]:
    """Everyone who appears in the log as the one who acted, for the filter, by name."""
    ids = {i for i in db.session.scalars(select(AuditEvent.actor_id).where(
        AuditEvent.actor_id.is_not(None)).distinct()) if i is not None}
    return sorted(people_names(ids).items(), key=lambda item: (item[1], item[0]))


def export_rows(f: AuditFilter, system: str, batch: int = 500) -> Iterator[tuple]:
    events = db.session.execute(_statement(f).execution_options(yield_per=batch)).scalars()
    while chunk := list(itertools.islice(events, batch)):
        for line in _lines(chunk, system):
            yield (line.event.at, line.who, line.action, line.target,
                   "; ".join(f"{k}: {v}" for k, v in line.details))
