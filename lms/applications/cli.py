"""``flask lms rules eligibility`` (the §4 rule, JSON in and out) and the daily lapse job."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from lms import mail
from lms.applications import rules
from lms.applications.review import lapse_overdue
from lms.applications.services import thresholds
from lms.extensions import db
from lms.rulescli import rule_command
from lms.timeutil import today_tokyo


def _day(value) -> rules.date | None:
    return None if value in (None, "") else rules.parse_date(str(value))


def _required_day(value) -> rules.date:
    day = _day(value)
    if day is None:
        raise ValueError("a date is required")
    return day


@rule_command("eligibility")
def eligibility(payload: dict) -> dict:
    """§4 eligibility. Input: {"training_start", "current_post" (1-1, 1-2), "periods": [{"desk"
    (2-1 … 2-4), "start", "end" or null, "days_worked"}], "qualifications": [names]}; output:
    {"eligible", "days_in_post", "days_worked", "reasons"}."""
    facts = rules.Facts(
        training_start=_required_day(payload["training_start"]),
        current_post=payload.get("current_post"),
        periods=tuple(rules.Period(str(p.get("desk")), _required_day(p["start"]),
                                   _day(p.get("end")), int(p.get("days_worked") or 0))
                      for p in payload.get("periods") or []),
        qualifications=tuple(str(q) for q in payload.get("qualifications") or []),
    )
    return rules.eligibility(facts, thresholds()).as_dict()


@click.command("application-lapses")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Run as of this date.")
@with_appcontext
def lapse_command(today) -> None:
    """Lapse returned applications not corrected by their due date (daily, cron-safe)."""
    lapsed = lapse_overdue(today.date() if today else today_tokyo())
    db.session.commit()
    mail.deliver_committed()
    click.echo(f"lapsed {len(lapsed)}")
