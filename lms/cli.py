"""The ``flask lms`` command group: demo data, administrators, jobs."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from lms import demo, mail
from lms.auth import rules
from lms.auth.services import AccountError, NewAccount, create_account
from lms.extensions import db
from lms.rulescli import rules_cli
from lms.security import Role
from lms.timeutil import today_tokyo

lms_cli = AppGroup("lms", help="coordinator-lms administration commands.")
lms_cli.add_command(rules_cli)



@lms_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Seed only when the database has no accounts.")
def demo_command(if_empty: bool) -> None:
    """Seed the demo cohorts and accounts (password: demo-pass-2026)."""
    if if_empty and not demo.is_empty():
        click.echo("Database already has data; demo not seeded.")
        return
    made = demo.seed(today_tokyo())
    db.session.commit()
    click.echo("Demo data seeded." if made else "Demo data already present.")


@lms_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account interactively."""
    problems = rules.password_problems(password, email)
    if problems:
        raise click.ClickException("Password too weak: " + ", ".join(problems))
    try:
        create_account(None, NewAccount(email, name, frozenset({Role.ADMIN})), password=password)
    except AccountError as exc:
        raise click.ClickException(f"Cannot create the account: {exc.code}") from exc
    db.session.commit()
    click.echo(f"Administrator {email} created.")


@lms_cli.command("deadlines")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Run as of this date.")
def deadlines(today) -> None:
    """Send report reminders and withdraw trainees past a missed due date (cron-safe)."""
    from lms.practice.deadlines import run

    summary = run(today.date() if today else today_tokyo())
    db.session.commit()
    mail.deliver_committed()
    click.echo(f"reminded {len(summary.reminded)}, withdrawn {len(summary.withdrawn)}")


@lms_cli.command("certificates-daily")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Run as of this date.")
def certificates_daily(today) -> None:
    """Lapse expired certificates and send renewal reminders (cron-safe, once a day)."""
    from lms.certificates.daily import run

    summary = run(today.date() if today else today_tokyo())
    db.session.commit()
    mail.deliver_committed()
    click.echo(f"lapsed {len(summary.lapsed)}, reminded {len(summary.reminded)}")


@lms_cli.command("offers")
def offers() -> None:
    """Pass lapsed waitlist offers on to the next person (cron-safe, e.g. every 10 minutes)."""
    from lms.booking.services import expire_offers

    count = expire_offers()
    db.session.commit()
    mail.deliver_committed()
    click.echo(f"offered {count}")


@lms_cli.command("mail-flush")
@click.option("--loop", is_flag=True, help="Keep delivering (the mail worker).")
@click.option("--batch", default=100, show_default=True, help="Messages per SMTP connection.")
@click.option("--interval", default=5.0, show_default=True,
              help="Seconds to wait when the queue is empty (with --loop).")
def mail_flush(loop: bool, batch: int, interval: float) -> None:
    """Send every queued message not yet sent (cron-safe), or keep sending (--loop)."""
    if loop:
        mail.flush_loop(batch, interval)
        return
    sent = failed = 0
    while True:
        s, f = mail.deliver_pending(limit=batch)
        sent, failed = sent + s, failed + f
        if s + f < batch or s == 0:
            break
    click.echo(f"sent {sent}, failed {failed}")


def init_app(app: Flask) -> None:
    from lms.certificates import rulecommands  # noqa: F401  (flask lms rules validity, renewal)
    from lms.certification import rulecmd  # noqa: F401  (registers `rules disqualified`)
    from lms.credentials.cli import credential_cli
    from lms.lrs import cli as lrs_cli

    lms_cli.add_command(lrs_cli.lrs_client_cli)
    lms_cli.add_command(lrs_cli.xapi_forward)
    lms_cli.add_command(lrs_cli.xapi_seed)
    from lms.applications import cli as applications_cli  # also adds `rules eligibility`
    lms_cli.add_command(applications_cli.lapse_command)
    lms_cli.add_command(credential_cli)
    app.cli.add_command(lms_cli)

    @app.teardown_appcontext
    def _deliver_cli_mail(exc):
        # CLI commands commit in an app context without a request: send what they queued.
        if exc is None and db.session.info.get("lms_mail_deliver"):
            mail.deliver_committed()
