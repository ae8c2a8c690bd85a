"""Progress versions: ``User.progress_version`` goes up with every write that changes what a
trainee has achieved or sees of the programme, in the same transaction as the write.

Pages cache what they derive from a trainee's progress (the programme state, the home page)
under ``(user, progress_version, …)``. The version lives in the database and comes with the
user on every request, so several server processes or machines agree: a write committed by
any of them is seen by the next page everywhere.

Bumping is structural, not a call in each service: each feature declares here which of its
models bear progress (:func:`track`) and whose progress a row names; SQLAlchemy session
events collect the changed rows of those models (unit-of-work flushes and ORM bulk
``update``/``delete`` statements) and bump their trainees' versions just before the
transaction commits. A row changed and rolled back bumps nothing; a bump too many only costs
a cache miss.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, event, inspect, or_, select, true, update
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session, scoped_session

from lms.auth.models import User

#: ``track(Model, EVERYONE)``: a change to any row changes every trainee's pages (content)
EVERYONE = "everyone"

_PENDING = "lms_progress_changes"
_USERS = "users"  # user ids bumped as they are (bump())


@dataclass(frozen=True)
class Tracked:
    """A model whose rows bear progress, and how a row names its trainees."""

    model: type
    #: the attribute holding the trainee's user id, or the key looked up in *via*; EVERYONE
    owner: Any
    #: ``(key column, user id column)`` of a table that maps *owner* values to trainees
    via: tuple[Any, Any] | None = None
    #: only changes to these attributes count (None: any change of the row)
    fields: frozenset[str] | None = None


_TRACKED: dict[type, Tracked] = {}


def track(model: type, owner: Any, *, via: tuple[Any, Any] | None = None,
          fields: Iterable[str] | None = None) -> None:
    """Declare that writes to *model* change the progress of the trainees its rows name.

    ``track(QuizAttempt, QuizAttempt.user_id)``: the row's own user;
    ``track(Reflection, Reflection.enrolment_id, via=(Enrolment.id, Enrolment.user_id))``:
    the trainee of the row's enrolment; ``track(LectureModule, EVERYONE)``: everyone.
    Idempotent (app factories may call it again).
    """
    _TRACKED[model] = Tracked(model, owner, via, frozenset(fields) if fields else None)


def _entry(cls: type) -> Tracked | None:
    for klass in cls.__mro__:
        if klass in _TRACKED:
            return _TRACKED[klass]
    return None


def _pending(session: Session) -> dict:
    return session.info.setdefault(_PENDING, {})


def _note(session: Session, entry: Tracked, values: Iterable[Any]) -> None:
    if entry.owner == EVERYONE:
        _pending(session)[EVERYONE] = True
        return
    found = {v for v in values if v is not None}
    if found:
        _pending(session).setdefault(entry.model, set()).update(found)


def _row_values(entry: Tracked, obj: Any) -> list[Any]:
    """The owner values a row names now and (if that changed) named before."""
    if entry.owner == EVERYONE:
        return [None]
    history = inspect(obj).attrs[entry.owner.key].history
    values = [*history.added, *history.unchanged, *history.deleted]
    if not values:
        try:
            values = [getattr(obj, entry.owner.key, None)]
        except InvalidRequestError:  # a deleted row whose owner was never loaded
            values = []
    return values


def _fields_changed(entry: Tracked, obj: Any) -> bool:
    state = inspect(obj)
    if entry.fields is None:
        return any(a.history.has_changes() for a in state.attrs)
    return any(state.attrs[name].history.has_changes() for name in entry.fields)


def _after_flush(session: Session, _context) -> None:
    for obj in (*session.new, *session.deleted):
        entry = _entry(type(obj))
        if entry is not None:
            _note(session, entry, _row_values(entry, obj))
    for obj in session.dirty:
        entry = _entry(type(obj))
        if entry is not None and _fields_changed(entry, obj):
            _note(session, entry, _row_values(entry, obj))


def _do_orm_execute(state) -> None:
    """ORM ``update(Model)``/``delete(Model)`` statements skip the unit of work: note the
    trainees of the rows they are about to change (read before the statement runs)."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    entry = _entry(state.bind_mapper.class_)
    if entry is None:
        return
    if entry.owner == EVERYONE:
        _note(state.session, entry, [None])
        return
    where = state.statement.whereclause
    query = select(entry.owner).distinct()
    if where is not None:
        query = query.where(where)
    _note(state.session, entry, state.session.execute(query).scalars())


def _before_commit(session: Session) -> None:
    session.flush()  # the last changes, so their rows are noted too
    changes = session.info.pop(_PENDING, None)
    if changes:
        session.connection().execute(bump_statement(changes))


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended (committed or rolled back)
        session.info.pop(_PENDING, None)


def bump_statement(changes: dict):
    """``UPDATE user SET progress_version = progress_version + 1`` for the trainees named."""
    statement = update(cast(Table, User.__table__)).values(
        progress_version=User.progress_version + 1)
    if changes.get(EVERYONE):
        return statement.where(true())
    conditions = []
    for model, values in changes.items():
        if model == _USERS:
            conditions.append(User.id.in_(sorted(values)))
            continue
        entry = _TRACKED[model]
        if entry.via is None:
            conditions.append(User.id.in_(sorted(values)))
        else:
            key, user_id = entry.via
            conditions.append(User.id.in_(select(user_id).where(key.in_(sorted(values)))))
    return statement.where(or_(*conditions))


def bump(session: Session, user_ids: Iterable[int]) -> None:
    """Bump these trainees' versions at commit: for a change the tracked models cannot see
    (a setting read from elsewhere)."""
    _pending(session).setdefault(_USERS, set()).update(user_ids)


def has_changes(session: Session | scoped_session) -> bool:
    """Whether this transaction has changed (or is about to flush) progress-bearing rows:
    what was cached under the versions read at its start may no longer hold for it."""
    if session.info.get(_PENDING):
        return True
    return any(_entry(type(obj)) is not None
               for obj in (*session.new, *session.dirty, *session.deleted))


def version_key(user, today: date) -> tuple:
    """What a kept page part for *user* depends on: who (``public_id``, random per account, so
    a recreated database never matches), their progress version, and the Tokyo date (gates and
    deadlines that open or pass by date)."""
    return (user.public_id, user.progress_version, today)


_installed = False


def install() -> None:
    """Listen on every session (idempotent; called by the app factory)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _do_orm_execute)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_transaction_end", _after_transaction_end)
    _installed = True
