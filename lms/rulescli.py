"""The ``flask lms rules`` group: the programme's pure rules, asked from the command line."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

#: ``flask lms rules NAME``: JSON on standard input, the rule's answer as JSON on standard output.
#: Each domain adds its subcommand with :func:`rule_command`; they call the same pure functions
#: the LMS uses.
rules_cli = AppGroup("rules", help="Ask the programme's rules directly (JSON in, JSON out).")


def rule_command(name: str):
    """Register ``fn(payload: dict) -> dict`` as ``flask lms rules NAME`` (JSON in and out)."""
    def decorator(fn):
        @rules_cli.command(name, help=fn.__doc__)
        def command() -> None:
            try:
                payload = json.load(sys.stdin)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"standard input is not JSON: {exc}") from exc
            try:
                answer = fn(payload)
            except (KeyError, TypeError, ValueError) as exc:
                raise click.ClickException(f"bad input: {exc!r}") from exc
            click.echo(json.dumps(answer, ensure_ascii=False))

        return fn

    return decorator
