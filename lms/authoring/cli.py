"""``flask content check`` and ``flask content sync``: one pipeline for all authored files."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from lms.authoring.publish import check_all, publish
from lms.authoring.registry import SyncResult
from lms.extensions import db

content_cli = AppGroup("content", help="Authored content in git: check and load.")


def _root(path: str | None) -> Path:
    return Path(path or current_app.config["CONTENT_DIR"])


@content_cli.command("check")
@click.option("--root", help="Content folder (default: the configured one); quizzes/ beside it.")
def check(root: str | None) -> None:
    """Validate every authored file; list all problems as file:line: message."""
    base = _root(root)
    result = check_all(base)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if result.problems:
        raise click.exceptions.Exit(1)
    counts = ", ".join(f"{count} {name}" for name, count in result.counts.items())
    click.echo(f"{counts} OK in {base}")


def _line(name: str, result: SyncResult) -> str:
    return (f"{name}: added {len(result.added)}, updated {len(result.updated)}, "
            f"unchanged {len(result.unchanged)}, unpublished {len(result.unpublished)}")


@content_cli.command("sync")
@click.option("--root", help="Content folder (default: the configured one); quizzes/ beside it.")
def sync(root: str | None) -> None:
    """Load content into the database (idempotent; keeps every trainee's progress)."""
    base = _root(root)
    result = publish(base)
    if not result.published:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        click.echo("Nothing was loaded: fix the problems above first.", err=True)
        raise click.exceptions.Exit(1)
    db.session.commit()
    for name, synced in result.synced.items():
        click.echo(_line(name, synced))


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
