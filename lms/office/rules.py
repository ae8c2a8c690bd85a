"""Who needs a nudge: a trainee's stage, deadlines and flags from plain facts. No Flask here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

#: the flags a trainee row can carry, in the order the page shows them
FLAGS = ("overdue", "returned", "waitlisted", "withdrawn")

#: what a trainee must have done by each deadline, in programme order
DEADLINE_KEYS = ("course1_end", "goal", "progress", "final")


@dataclass(frozen=True)
class Deadline:
    key: str  #: course1_end | goal | progress | final
    due: date
    done: bool


@dataclass(frozen=True)
class TraineeFacts:
    """What the database says about one enrolment, gathered in a few batch queries."""

    withdrawn: bool
    passed_course1: bool
    practice_complete: bool
    booked_course2: bool
    waitlisted: bool
    returned_reports: tuple[str, ...]
    deadlines: tuple[Deadline, ...]


@dataclass
class TraineeRow:
    """One line of the cohort's trainee table."""

    enrolment_id: int
    user_id: int
    name: str
    email: str
    organisation: str
    stage: str
    progress: int
    last_activity: datetime | None
    next_deadline: Deadline | None
    days_left: int | None
    overdue: list[Deadline] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def stage_of(facts: TraineeFacts) -> str:
    """The stage a trainee is in (keys of the page's stage labels)."""
    if not facts.passed_course1:
        return "course1"
    if not facts.practice_complete:
        return "practice"
    return "course2"


def overdue(facts: TraineeFacts, today: date) -> list[Deadline]:
    """Deadlines passed with their work not done (none once withdrawn: nothing to act on)."""
    if facts.withdrawn:
        return []
    return [d for d in facts.deadlines if not d.done and d.due < today]


def next_deadline(facts: TraineeFacts, today: date) -> Deadline | None:
    """The earliest deadline still ahead (today included) whose work is not done."""
    ahead = [d for d in facts.deadlines if not d.done and d.due >= today]
    return min(ahead, key=lambda d: d.due) if ahead and not facts.withdrawn else None


def flags_of(facts: TraineeFacts, today: date) -> list[str]:
    found = {
        "overdue": bool(overdue(facts, today)),
        "returned": bool(facts.returned_reports) and not facts.withdrawn,
        "waitlisted": facts.waitlisted and not facts.withdrawn,
        "withdrawn": facts.withdrawn,
    }
    return [f for f in FLAGS if found[f]]


SORT_KEYS = ("name", "stage", "progress", "last_activity", "deadline")


def select_rows(rows: Iterable[TraineeRow], flag: str = "", query: str = "",
                sort: str = "name", descending: bool = False) -> list[TraineeRow]:
    """Filter by *flag* and a name/e-mail/organisation search, then sort (missing values last)."""
    wanted = query.strip().lower()
    chosen = [r for r in rows
              if (not flag or flag in r.flags)
              and (not wanted or wanted in f"{r.name} {r.email} {r.organisation}".lower())]
    key = {
        "name": lambda r: (False, r.name),
        "stage": lambda r: (False, r.stage),
        "progress": lambda r: (False, r.progress),
        "last_activity": lambda r: (r.last_activity is None,
                                    r.last_activity.timestamp() if r.last_activity else 0),
        "deadline": lambda r: (r.days_left is None, r.days_left or 0),
    }.get(sort, lambda r: (False, r.name))
    present = [r for r in chosen if not key(r)[0]]
    missing = [r for r in chosen if key(r)[0]]
    present.sort(key=lambda r: key(r)[1], reverse=descending)
    return present + missing


def overdue_by_deadline(rows: Iterable[TraineeRow]) -> dict[str, list[TraineeRow]]:
    """The overdue list per deadline key, in programme order (empty lists left out)."""
    lists: dict[str, list[TraineeRow]] = {k: [] for k in DEADLINE_KEYS}
    for row in rows:
        for d in row.overdue:
            lists[d.key].append(row)
    return {k: v for k, v in lists.items() if v}


def pass_rates(attempts: Iterable[tuple[str, int, bool]]) -> list[tuple[str, int, int, int]]:
    """(test, attempt number, passed, sat) for each test and attempt number, from
    (test, attempt number, passed) per finished attempt."""
    table: dict[tuple[str, int], list[int]] = {}
    for test, number, passed in attempts:
        cell = table.setdefault((test, number), [0, 0])
        cell[0] += 1 if passed else 0
        cell[1] += 1
    return [(t, n, p, s) for (t, n), (p, s) in sorted(table.items())]


def most_common(groups: Iterable[tuple[str, int, int]]) -> list[tuple[str, int]]:
    """(label, count) most common first, from grouped (label, count, first row id) where
    several groups may share a label; ties in the order their first rows came."""
    merged: dict[str, list[int]] = {}
    for label, count, first in groups:
        cell = merged.setdefault(label, [0, first])
        cell[0] += count
        cell[1] = min(cell[1], first)
    ordered = sorted(merged.items(), key=lambda item: (-item[1][0], item[1][1]))
    return [(label, count) for label, (count, _first) in ordered]


def median_days(spans: Iterable[tuple[datetime, datetime]]) -> float | None:
    """The median length of (start, end) spans in days, one decimal; None without spans."""
    days = sorted((end - start).total_seconds() / 86400 for start, end in spans if end >= start)
    if not days:
        return None
    middle = len(days) // 2
    value = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
    return round(value, 1)
