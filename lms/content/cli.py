"""``flask content check`` and ``flask content sync``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.content.loader import load_modules
from lms.content.sync import sync_modules
from lms.extensions import db

content_cli = AppGroup("content", help="Lecture content in git: check and load.")


def _root(path: str | None) -> Path:
    return Path(path or current_app.config["CONTENT_DIR"])


@content_cli.command("check")
@click.option("--root", help="Content root (default: the configured content folder).")
def check(root: str | None) -> None:
    """Validate every content file; list all problems as file:line: message."""
    base = _root(root)
    modules, problems = load_modules(base)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.exceptions.Exit(1)
    click.echo(f"{len(modules)} modules OK in {base}")


@content_cli.command("sync")
@click.option("--root", help="Content root (default: the configured content folder).")
def sync(root: str | None) -> None:
    """Load content into the database (idempotent; keeps every trainee's progress)."""
    result = sync_modules(_root(root))
    if result.problems:
        db.session.rollback()
        for problem in result.problems:
            click.echo(str(problem), err=True)
        click.echo("Nothing was loaded: fix the problems above first.", err=True)
        raise click.exceptions.Exit(1)
    db.session.commit()
    click.echo(f"added {len(result.added)}, updated {len(result.updated)}, "
               f"unchanged {len(result.unchanged)}, unpublished {len(result.unpublished)}")


def init_app(app) -> None:
    app.cli.add_command(content_cli)
