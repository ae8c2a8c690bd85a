"""``flask content check`` and ``flask content sync``: one pipeline for all authored files."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.assessment.quizcheck import load_quizzes
from lms.assessment.sync import sync_quizzes
from lms.content.loader import GROUPS, load_modules
from lms.content.problems import Problem
from lms.content.sync import SyncResult, sync_modules
from lms.extensions import db
from lms.practice.formfile import load_report_forms
from lms.progression.program import PROGRAM_FILE, STAGES, load_gates
from lms.progression.rules import gate_problems

content_cli = AppGroup("content", help="Authored content in git: check and load.")


def _root(path: str | None) -> Path:
    return Path(path or current_app.config["CONTENT_DIR"])


def check_all(content_root: Path) -> tuple[dict[str, int], list[Problem]]:
    """Validate modules, quizzes, report forms and the programme file; return counts, problems."""
    modules, problems = load_modules(content_root)
    quizzes, quiz_problems = load_quizzes(content_root.parent)
    forms, form_problems = load_report_forms(content_root.parent)
    gates, gate_file_problems = load_gates(content_root)
    known = ({f"lectures:{g}" for g in GROUPS} | {f"quiz:{q.id}" for q in quizzes}
             | {f"stage:{s}" for s in STAGES})
    gate_refs = [Problem(PROGRAM_FILE, 0, message) for message in gate_problems(gates, known)]
    if quiz_problems:  # unknown quiz units are only meaningful once the quizzes load
        gate_refs = [p for p in gate_refs if "'quiz:" not in p.message]
    counts = {"modules": len(modules), "quizzes": len(quizzes), "forms": len(forms),
              "gates": len(gates)}
    return counts, [*problems, *quiz_problems, *form_problems, *gate_file_problems, *gate_refs]


@content_cli.command("check")
@click.option("--root", help="Content folder (default: the configured one); quizzes/ beside it.")
def check(root: str | None) -> None:
    """Validate every authored file; list all problems as file:line: message."""
    base = _root(root)
    counts, problems = check_all(base)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.exceptions.Exit(1)
    click.echo(f"{counts['modules']} modules, {counts['quizzes']} quizzes, "
               f"{counts['forms']} report forms, {counts['gates']} gates OK in {base}")


def _line(name: str, result: SyncResult) -> str:
    return (f"{name}: added {len(result.added)}, updated {len(result.updated)}, "
            f"unchanged {len(result.unchanged)}, unpublished {len(result.unpublished)}")


@content_cli.command("sync")
@click.option("--root", help="Content folder (default: the configured one); quizzes/ beside it.")
def sync(root: str | None) -> None:
    """Load content into the database (idempotent; keeps every trainee's progress)."""
    base = _root(root)
    _, problems = check_all(base)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo("Nothing was loaded: fix the problems above first.", err=True)
        raise click.exceptions.Exit(1)
    modules = sync_modules(base)
    quizzes = sync_quizzes(base.parent)
    db.session.commit()
    click.echo(_line("modules", modules))
    click.echo(_line("quizzes", quizzes))


def init_app(app) -> None:
    app.cli.add_command(content_cli)
