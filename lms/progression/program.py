"""The programme file ``content/program.yml``: the one declaration of gating."""

from __future__ import annotations

from pathlib import Path

from lms import authoring
from lms.authoring.problems import Problem, load_yaml_with_lines
from lms.progression import registry
from lms.progression.rules import gate_problems

PROGRAM_FILE = "program.yml"
UNIT_KINDS = ("lectures", "quiz", "stage")


def load_gates(content_root: Path) -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    """Read the gate table {unit: requirements}; problems name the file and line."""
    path = content_root / PROGRAM_FILE
    rel = PROGRAM_FILE
    if not path.is_file():
        return {}, [Problem(rel, 0, "missing programme file")]
    data, lines, problems = load_yaml_with_lines(path.read_text(encoding="utf-8"), rel)
    if problems:
        return {}, problems
    gates: dict[str, tuple[str, ...]] = {}
    if not isinstance(data, dict) or set(data) != {"gates"} or not isinstance(data["gates"], dict):
        return {}, [Problem(rel, 1, "expected a single 'gates' mapping")]
    for unit, spec in data["gates"].items():
        line = lines.line_of(("gates", unit)) if lines else 0
        if not isinstance(spec, dict) or set(spec) != {"requires"} or \
                not isinstance(spec["requires"], list) or \
                not all(isinstance(r, str) for r in spec["requires"]):
            problems.append(Problem(rel, line, f"'{unit}' needs 'requires: [units]'"))
            continue
        gates[str(unit)] = tuple(spec["requires"])
        for requirement in (unit, *spec["requires"]):
            kind = str(requirement).partition(":")[0]
            if kind not in UNIT_KINDS:
                problems.append(Problem(rel, line, f"unknown unit kind in '{requirement}'"))
    return gates, problems


def check_program(content_root: Path) -> authoring.Checked:
    """The programme file as an authored file: its own problems now, its references to the
    units other files define once every kind is checked."""
    gates, problems = load_gates(content_root)

    def references(known: authoring.Known) -> list[Problem]:
        units = set(known.units) | registry.stage_units()
        found = [Problem(PROGRAM_FILE, 0, message) for message in gate_problems(gates, units)]
        return [p for p in found if not any(f"'{kind}:" in p.message for kind in known.unsure)]

    return authoring.Checked(tuple(gates), problems, references=references)


authoring.register(authoring.FileKind("gates", check_program, order=90))
