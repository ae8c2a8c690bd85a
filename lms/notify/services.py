"""``notify(user, kind, link=..., **params)``: the in-app entry and the e-mail, queued in the
caller's transaction; texts in the recipient's language, times in Tokyo as the pages show."""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any

from babel import dates as babel_dates
from babel.support import NullTranslations, Translations
from flask import current_app, g, has_request_context
from sqlalchemy import func, select, update

from lms import mail
from lms.auth.models import User
from lms.extensions import db
from lms.notify.kinds import KINDS, Text
from lms.notify.models import Notification
from lms.timeutil import TOKYO, utcnow

#: catalogs per (folder, locale): loaded once, not on every message (flask-babel's
#: force_locale reloads them, which is slow inside a booking's row lock)
_CATALOGS: dict[tuple[str, str], NullTranslations] = {}


def _catalog(locale: str) -> NullTranslations:
    folder = os.path.join(current_app.root_path, "translations")
    key = (folder, locale)
    if key not in _CATALOGS:
        _CATALOGS[key] = Translations.load(folder, [locale], domain="messages")
    return _CATALOGS[key]


def _store(value: Any) -> Any:
    """A JSON form of *value* that keeps dates and times recognisable."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Text):
        return {"$text": value.msgid}
    if isinstance(value, list | tuple):
        return [_store(v) for v in value]
    return value


def _load(value: Any) -> Any:
    if isinstance(value, dict) and "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if isinstance(value, dict) and "$date" in value:
        return date.fromisoformat(value["$date"])
    if isinstance(value, dict) and "$text" in value:
        return Text(value["$text"])
    if isinstance(value, list):
        return [_load(v) for v in value]
    return value


def format_value(value: Any, locale: str) -> str:
    """A parameter as the pages show it: Tokyo times, dates and lists in *locale*'s style,
    a :class:`Text` in *locale*."""
    if isinstance(value, Text):
        return _catalog(locale).ugettext(value.msgid)
    if isinstance(value, datetime):
        if locale == "ja":
            return value.astimezone(TOKYO).strftime("%Y/%m/%d %H:%M")
        return babel_dates.format_datetime(value, "short", tzinfo=TOKYO, locale=locale)
    if isinstance(value, date):
        if locale == "ja":
            return value.strftime("%Y/%m/%d")
        return babel_dates.format_date(value, "medium", locale=locale)
    if isinstance(value, list):
        # a [what, when] pair reads "what (when)"; other lists are enumerations
        if len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], date):
            what, when = value[0], format_value(value[1], locale)
            return f"{what}（{when}）" if locale == "ja" else f"{what} ({when})"
        return ("、" if locale == "ja" else ", ").join(format_value(v, locale) for v in value)
    return str(value)


def render(kind: str, params: dict[str, Any], locale: str, name: str) -> tuple[str, str]:
    """(subject, body) of a notification in *locale*."""
    spec = KINDS[kind]
    catalog = _catalog(locale)
    values = {k: format_value(_load(v), locale) for k, v in params.items()}
    values["name"] = name
    return catalog.ugettext(spec.subject) % values, catalog.ugettext(spec.body) % values


def notify(user: User, kind: str, link: str | None = None, **params: Any) -> Notification:
    """Tell *user* about *kind*: an in-app entry and an e-mail, both only if the caller's
    transaction commits. Flushes."""
    if kind not in KINDS:
        raise KeyError(f"unknown notification kind {kind!r}")
    row = Notification(user_id=user.id, kind=kind, link=link,
                       params={k: _store(v) for k, v in params.items()})
    db.session.add(row)
    db.session.flush()
    _forget_loaded_count()
    subject, body = render(kind, row.params, user.locale or "ja", user.name)
    mail.queue(user.email, subject, f"{body}\n{link}\n" if link else body)
    return row


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(unread_count_of(user_id))) or 0


def _forget_loaded_count() -> None:
    """The count loaded with the user no longer holds for this request's pages."""
    if has_request_context():
        g.pop("lms_unread_notifications", None)


def unread_count_of(user_id):
    """The unread count of *user_id* (a value or a column) as a scalar subquery: the app
    loads it with the user on every request, for the header's badge."""
    return select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)).scalar_subquery()


def recent(user_id: int, limit: int = 100) -> list[Notification]:
    return list(db.session.execute(select(Notification).where(
        Notification.user_id == user_id).order_by(Notification.id.desc()).limit(limit)).scalars())


def mark_read(user_id: int, notification_id: int | None = None) -> None:
    """Mark one (or every) unread notification of *user_id* read. Flushes."""
    stmt = update(Notification).where(Notification.user_id == user_id,
                                      Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    db.session.execute(stmt.values(read_at=utcnow()).execution_options(
        synchronize_session=False))
    db.session.flush()
    _forget_loaded_count()
