"""Certification rules (pure: no Flask, no database): readiness, the 2-year bar, the quorum.

A trainee is ready for the committee when the statement store shows every requirement of
§5 (the programme file and the registry list them: :mod:`lms.certification.programme`), the
certification test as the committee decided it (§6(2)ア), never as the LMS scored it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
#: a reviewer's decisions on a practice report: the reviewer is the actor, the enrolment's
#: registration (and the context's trainee extension) says whose report it was
ACCEPTED = "http://activitystrea.ms/schema/1.0/accept"
RETURNED = "http://activitystrea.ms/schema/1.0/reject"
DECISIONS = frozenset({ACCEPTED, RETURNED})


@dataclass(frozen=True)
class Requirement:
    key: str
    #: the object the statement is about, relative to ``<base>/xapi/activities/``
    activity: str
    #: verbs that count for it; the latest of *decisive* decides, if given
    verb: str
    decisive: tuple[str, ...] = ()
    #: only the committee's decision about the trainee counts (the trainee's own record never)
    committee: bool = False


@dataclass(frozen=True)
class Record:
    """One valid (not voided) statement of the trainee in this registration."""

    statement_id: str
    verb: str
    activity: str  #: relative, as in Requirement.activity
    timestamp: datetime
    seq: int
    #: a committee member's decision about the trainee, not the trainee's own statement
    committee: bool = False
    #: False for a statement an LRS client sent that the LMS does not trust as evidence
    counted: bool = True


@dataclass(frozen=True)
class Evidence:
    requirement: Requirement
    met: bool
    record: Record | None  #: the statement that shows it (or the latest deciding one)
    #: statements about the requirement that were shown but not counted (untrusted senders)
    uncounted: tuple[Record, ...] = ()


def evidence(records: list[Record], requirements: Iterable[Requirement]) -> list[Evidence]:
    """Return, per requirement in programme order, whether the records show it and which one.

    The LMS passes the requirements its programme file and registry derive
    (:func:`lms.certification.programme.requirements`).
    """
    out = []
    for req in requirements:
        mentioned = sorted((r for r in records
                            if r.activity == req.activity and r.committee == req.committee),
                           key=lambda r: r.seq)
        about = [r for r in mentioned if r.counted]
        ignored = tuple(r for r in mentioned if not r.counted)
        if req.decisive:
            deciding = [r for r in about if r.verb in req.decisive]
            last = deciding[-1] if deciding else None
            out.append(Evidence(req, last is not None and last.verb == req.verb, last, ignored))
        else:
            hits = [r for r in about if r.verb == req.verb]
            out.append(Evidence(req, bool(hits), hits[0] if hits else None, ignored))
    return out


def ready(items: list[Evidence]) -> bool:
    return all(e.met for e in items)


def ready_for_decision(items: list[Evidence], withdrawn: bool) -> bool:
    """Ready for the committee: every requirement shown, and the enrolment not withdrawn (辞退)."""
    return not withdrawn and ready(items)


# -- disqualification (欠格事由, §6(1) ア–エ) ---------------------------------------------------

#: ア mental impairment; イ fine or heavier under the Immigration Control Act or the Technical
#: Intern Training Act; ウ imprisonment or heavier under any other law; エ revoked before
GROUNDS = ("ア", "イ", "ウ", "エ")
#: the grounds that end two years after a date (the sentence served, the revocation)
DATED_GROUNDS = ("イ", "ウ", "エ")
BAR_YEARS = 2


def bar_ends(since: date, years: int = BAR_YEARS) -> date:
    """Return the last barred day: *years* after *since*, counted as the Civil Code counts.

    The day of the event is not counted (art. 140); the period ends at the end of the day
    before the corresponding day of the final year (art. 143), or, when that month has no
    such day (29 February), at the end of that month. 2024-05-01 → 2026-05-01.
    """
    start = since + timedelta(days=1)
    try:
        return start.replace(year=start.year + years) - timedelta(days=1)
    except ValueError:  # start is 29 February and the final year has none
        return date(start.year + years, 3, 1) - timedelta(days=1)


def barred(since: date | None, decision: date, years: int = BAR_YEARS) -> bool:
    """Whether a ground dated *since* still bars certification on *decision*.

    None means the sentence is not yet served (or the date is unknown): still barred.
    """
    return since is None or decision <= bar_ends(since, years)


@dataclass(frozen=True)
class Ground:
    """One declared ground: whether it applies and, for dated grounds, since when."""

    ground: str
    applies: bool
    since: date | None = None


def disqualifying(grounds: Iterable[Ground], decision: date) -> list[str]:
    """Return the grounds that bar certification on *decision* (in ア–エ order)."""
    found = set()
    for g in grounds:
        if g.applies and (g.ground not in DATED_GROUNDS or barred(g.since, decision)):
            found.add(g.ground)
    return [g for g in GROUNDS if g in found]


def quorum_outcome(votes: Iterable[str], quorum: int) -> str | None:
    """Return the outcome at least *quorum* votes agree on, or None (never two: see below).

    With a quorum of at least half the votes plus one no two outcomes can both reach it; with
    a smaller quorum the first outcome (in vote order) to reach it wins.
    """
    counts: Counter[str] = Counter()
    for vote in votes:
        counts[vote] += 1
        if counts[vote] >= max(quorum, 1):
            return vote
    return None
