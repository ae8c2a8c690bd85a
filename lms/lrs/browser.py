"""The administrators' statement browser: the page's filters as LRS query parameters."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from lms.lrs import query
from lms.lrs.protocol import LrsError
from lms.timeutil import TOKYO
from lms.xapi import tallies, vocab
from lms.xapi.recorder import actor_for

FILTERS = ("agent", "verb", "activity", "registration", "since", "until",
           "related_activities", "related_agents", "ascending")
FLAGS = ("related_activities", "related_agents", "ascending")
PAGE_SIZE = "50"


@dataclass(frozen=True)
class Overview:
    """What the page shows above the filter: the store's size and the last 14 days."""

    total: int
    estimated: bool
    verbs: list[vocab.Verb]
    per_day: list[tuple[str, int]]
    per_verb: list[tuple[str, int]]


def overview() -> Overview:
    total, estimated = tallies.stored_total()
    return Overview(total, estimated, tallies.known_verbs(), tallies.statements_per_day(),
                    tallies.statements_per_verb())


def _agent_param(value: str) -> str:
    """Accept an LMS user's e-mail address as well as an xAPI agent in JSON."""
    value = value.strip()
    if "@" in value and not value.startswith("{"):
        user = db.session.execute(select(User).where(User.email == value.lower())
                                  ).scalar_one_or_none()
        if user is None:
            raise LrsError(400, _("No account has the e-mail address %(email)s.", email=value))
        return json.dumps(actor_for(user))
    return value


def _day_start(value: str, end: bool) -> str:
    """A date from the form as the start (or, for until, the end) of that day in Tokyo."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise LrsError(400, _("Enter dates as YYYY-MM-DD.")) from None
    start = datetime.combine(day + timedelta(days=1) if end else day, time(), TOKYO)
    return start.isoformat()


def _registration(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise LrsError(400, _("A registration is a UUID, as shown on the statement.")) from None


def parameters(form: Mapping[str, str]) -> dict[str, str]:
    """The LRS query parameters of the page's filter form (LrsError on a bad value)."""
    params = {k: v for k, v in form.items() if v and k not in FLAGS}
    for flag in FLAGS:
        if form.get(flag):
            params[flag] = "true"
    params["limit"] = PAGE_SIZE
    for name in ("since", "until"):
        if name in params:
            params[name] = _day_start(params[name], end=name == "until")
    if "registration" in params:
        params["registration"] = _registration(params["registration"])
    if "agent" in params:
        params["agent"] = _agent_param(params["agent"])
    return params


def browse(args: Mapping[str, str]) -> tuple[dict[str, str], query.Page | None, str | None]:
    """The filter form as sent, one page of statements (newest first, paged by the store
    sequence: no OFFSET), and why the filter could not be used, if it could not."""
    form = {k: args.get(k, "").strip() for k in FILTERS}
    try:
        params = {"more": args["more"]} if args.get("more") else parameters(form)
        page, _params = query.search(params)
    except LrsError as exc:
        return form, None, _("The filter could not be used: %(reason)s", reason=exc.message)
    return form, page, None
