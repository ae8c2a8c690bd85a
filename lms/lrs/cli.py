"""``flask lms lrs-client …`` and the xAPI jobs ``xapi-forward`` and ``xapi-seed``."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from lms.extensions import db
from lms.lrs import clients
from lms.lrs.models import LrsClient

lrs_client_cli = AppGroup("lrs-client", help="Credentials of systems that use the LRS.")


@lrs_client_cli.command("create")
@click.argument("name")
@click.option("--key", help="Basic-auth user name (default: generated).")
@click.option("--secret", help="Secret (default: generated and printed once).")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(["read", "write"]),
              help="Repeat for both; default read and write.")
def create(name: str, key: str | None, secret: str | None, scopes: tuple[str, ...]) -> None:
    """Create an LRS client and print its key and secret."""
    scopes = scopes or ("read", "write")
    try:
        client, secret = clients.create(None, name, key=key, secret=secret,
                                        read="read" in scopes, write="write" in scopes)
    except clients.ClientError as exc:
        raise click.ClickException(f"cannot create the client: {exc.code}") from exc
    db.session.commit()
    click.echo(f"key: {client.key}\nsecret: {secret}\nscopes: {' '.join(client.scopes)}")


@lrs_client_cli.command("revoke")
@click.argument("key")
def revoke(key: str) -> None:
    """Revoke a client's credentials."""
    client = clients.by_key(key)
    if client is None:
        raise click.ClickException(f"no client {key}")
    clients.revoke(None, client)
    db.session.commit()
    click.echo(f"revoked {key}")


@lrs_client_cli.command("list")
def list_clients() -> None:
    """List clients with their scopes and usage."""
    for c in db.session.scalars(select(LrsClient).order_by(LrsClient.id)):
        state = "revoked" if c.revoked_at else "active"
        click.echo(f"{c.key}\t{c.name}\t{','.join(c.scopes)}\t{state}\t"
                   f"requests={c.requests}\tstatements={c.statements_written}")


@click.command("xapi-forward")
@with_appcontext
@click.option("--loop", is_flag=True, help="Keep running: a background worker.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
@click.option("--ignore-backoff", is_flag=True, help="Try now even while backing off.")
def xapi_forward(loop: bool, interval: float, ignore_backoff: bool) -> None:
    """Forward stored statements to the external LRS (cron-safe, safe to run twice at once)."""
    from lms.xapi import forward

    while True:
        try:
            summary = forward.run(ignore_backoff=ignore_backoff)
        except SQLAlchemyError as exc:  # the database restarting must not end the worker
            db.session.rollback()
            if not loop:
                raise
            click.echo(f"database error, retrying in {interval:g} s: {exc}", err=True)
            time.sleep(interval)
            continue
        for line in summary.details:
            click.echo(line)
        click.echo(f"sent {summary.sent}, dead {summary.dead}"
                   + (f", skipped: {summary.skipped}" if summary.skipped else "")
                   + (f", error: {summary.error}" if summary.error else ""))
        if not loop:
            return
        time.sleep(interval)


@click.command("xapi-seed")
@with_appcontext
@click.option("--count", default=1_000_000, show_default=True)
def xapi_seed(count: int) -> None:
    """Fill the store with synthetic statements, for benchmarks only (fast, direct SQL)."""
    from lms.xapi.seed import seed

    seed(count)
    click.echo(f"seeded {count} statements")
