"""What a trainee has achieved, and so which units the programme file opens for them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from lms.progression import registry, state
from lms.progression.program import load_gates
from lms.progression.rules import Lock, unit_state

_cache: dict[str, tuple[float, dict]] = {}


class Locked(Exception):
    """The unit is closed to this trainee; ``lock`` says what is missing."""

    def __init__(self, lock: Lock):
        super().__init__(lock.unit)
        self.lock = lock


def gates() -> dict[str, tuple[str, ...]]:
    """The gate table from ``program.yml``, re-read only when the file changes."""
    path = Path(current_app.config["CONTENT_DIR"]) / "program.yml"
    key = str(path)
    mtime = os.path.getmtime(path) if path.exists() else 0.0
    cached = _cache.get(key)
    if cached and cached[0] == mtime:
        return cached[1]
    table, problems = load_gates(path.parent)
    if problems:
        raise RuntimeError("invalid programme file: " + "; ".join(map(str, problems)))
    _cache[key] = (mtime, table)
    return table


def programme_units() -> list[str]:
    """Every unit of the programme file, in the order it names them (requirements first)."""
    seen: dict[str, None] = {}
    for unit, requires in gates().items():
        for u in (*requires, unit):
            seen.setdefault(u, None)
    return list(seen)


def requirements_of(unit: str) -> list[str]:
    """*unit* and everything it requires, directly or not, in programme order."""
    table = gates()
    needed: set[str] = set()
    todo = [unit]
    while todo:
        current = todo.pop()
        if current not in needed:
            needed.add(current)
            todo.extend(table.get(current, ()))
    return [u for u in programme_units() if u in needed]


def satisfied_for(users: Sequence) -> dict[int, set[str]]:
    """Every unit each trainee has achieved, by user id, from the registered stages (one
    query per feature for the whole batch).

    A stage (``stage:…``) counts only when the stages it requires count too: course ②
    attended before practice was accepted is not course ② complete.
    """
    done = registry.satisfied_for(users)
    table = gates()
    for units in done.values():
        changed = True
        while changed:
            changed = False
            for unit in [u for u in units if u.startswith("stage:")]:
                if any(r.startswith("stage:") and r not in units for r in table.get(unit, ())):
                    units.discard(unit)
                    changed = True
    return done


def satisfied_units(user) -> set[str]:
    """Every unit the trainee has achieved (groups watched, quizzes passed, stages done).

    Kept across requests under the trainee's progress version (:mod:`.state`): the menu,
    the path and the gate all ask.
    """
    return set(state.programme_state(user).satisfied)


def is_withdrawn(user) -> bool:
    return state.programme_state(user).withdrawn


def lock_for(user, unit: str, satisfied: set[str] | None = None) -> Lock:
    """Return whether *unit* is open to *user* now."""
    if satisfied is None:
        satisfied = satisfied_units(user)
    return unit_state(unit, gates(), satisfied, is_withdrawn(user))


def require_unlocked(user, unit: str) -> None:
    """Raise Locked unless *unit* is open to *user*: the one gate every gated route calls."""
    lock = lock_for(user, unit)
    if not lock.open:
        raise Locked(lock)


@dataclass(frozen=True)
class PathStep:
    unit: str
    lock: Lock
    done: bool


def stage_path(user) -> list[PathStep]:
    """The trainee's path through the gated units, in programme order, with what is done."""
    satisfied = satisfied_units(user)
    withdrawn = is_withdrawn(user)
    table = gates()
    steps = [PathStep(unit, unit_state(unit, table, satisfied, withdrawn), unit in satisfied)
             for unit in table]
    # Some stages (renewal, for certificate holders) join a path only once open or done.
    hidden = registry.hidden_until_open()
    return [s for s in steps if not hidden.intersection(table.get(s.unit, ()))
            or s.lock.open or s.done]
