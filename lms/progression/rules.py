"""Pure gating rules: which units are open, and what is missing for the rest. No Flask here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Lock:
    """Whether a unit is open; if not, the requirements still missing (in declared order)."""

    unit: str
    open: bool
    missing: tuple[str, ...] = ()
    withdrawn: bool = False


def unit_state(unit: str, gates: Mapping[str, tuple[str, ...]], satisfied: set[str],
               withdrawn: bool = False) -> Lock:
    """Return whether *unit* is open for a trainee who has satisfied *satisfied*.

    A requirement counts only when satisfied itself; a withdrawn trainee (辞退) has every
    gated unit closed, whatever they achieved before.
    """
    requires = gates.get(unit, ())
    if withdrawn and requires:
        return Lock(unit, False, tuple(requires), withdrawn=True)
    missing = tuple(r for r in requires if r not in satisfied)
    return Lock(unit, not missing, missing)


def gate_problems(gates: Mapping[str, tuple[str, ...]], known_units: set[str]) -> list[str]:
    """Return problems with a gate table: unknown units and cycles (messages, in English)."""
    problems = []
    for unit, requires in gates.items():
        for requirement in (unit, *requires):
            if requirement not in known_units:
                problems.append(f"unknown unit '{requirement}'")
    seen: dict[str, int] = {}

    def visit(unit: str, trail: tuple[str, ...]) -> None:
        if unit in trail:
            problems.append("cycle: " + " -> ".join((*trail[trail.index(unit):], unit)))
            return
        if seen.get(unit):
            return
        for requirement in gates.get(unit, ()):
            visit(requirement, (*trail, unit))
        seen[unit] = 1

    for unit in gates:
        visit(unit, ())
    return sorted(set(problems))
