"""Each registered stage answers for a batch of trainees in a constant number of queries (one
query per feature, not per trainee): counted with a SQLAlchemy event for 1, 25 and 50."""

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event

from lms.auth.models import User
from lms.booking.models import (
    Attendance,
    AttendanceStatus,
    BookingStatus,
    SessionBooking,
    SessionDay,
)
from lms.extensions import db
from lms.progression import registry, satisfied_for
from tests.factories import make_session, trainees


@contextmanager
def counted():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def fifty(app, make_user, make_cohort):
    """50 enrolled trainees, each booked on a two-day course ② session; the first 30 marked
    present on both days (their attendance complete), the next 10 on one day."""
    cohort_id = make_cohort(date(2026, 4, 1))
    session_id = make_session(app, cohort_id, capacity=60)
    ids = trainees(app, make_user, cohort_id, 50)
    with app.app_context():
        days = db.session.scalars(db.select(SessionDay).filter_by(session_id=session_id)).all()
        for n, uid in enumerate(ids):
            db.session.add(SessionBooking(session_id=session_id, user_id=uid, position=n,
                                          status=BookingStatus.BOOKED))
            for day in days[:2 if n < 30 else 1 if n < 40 else 0]:
                db.session.add(Attendance(day_id=day.id, user_id=uid,
                                          status=AttendanceStatus.PRESENT))
        db.session.commit()
    return ids


def _queries(satisfied, users) -> int:
    db.session.expunge_all()  # nothing already loaded helps the larger batch
    with counted() as statements:
        satisfied(users)
    return len(statements)


def test_every_stage_answers_a_batch_in_constant_queries(app, fifty):
    with app.test_request_context():
        users = [db.session.get(User, uid) for uid in fifty]
        for stage in registry.stages():
            one = _queries(stage.satisfied, users[:1])
            half = _queries(stage.satisfied, users[:25])
            every = _queries(stage.satisfied, users)
            assert half == every, stage.name
            assert every <= one + 1, (stage.name, one, every)
        course2 = registry.stages()[[s.name for s in registry.stages()].index("course2")]
        done = course2.satisfied(users)
        assert [uid for uid in fifty if done[uid]] == fifty[:30]


def test_the_whole_programme_for_fifty_costs_what_it_costs_for_two(app, fifty):
    with app.test_request_context():
        users = [db.session.get(User, uid) for uid in fifty]
        two = _queries(satisfied_for, users[:2])
        every = _queries(satisfied_for, users)
    assert every == two
