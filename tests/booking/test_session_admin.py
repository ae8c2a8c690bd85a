"""Administrators change sessions and venues: capacity, windows, waitlist, mail, deletion."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.booking import admin, services
from lms.booking.models import BookingStatus, CourseSession, SessionBooking, Venue
from lms.extensions import db
from lms.mail.models import OutgoingMail
from lms.security import Role
from lms.timeutil import TOKYO
from tests.conftest import text_of
from tests.factories import make_session, trainees


@pytest.fixture
def full_session(app, make_cohort, make_user):
    """A one-seat session: the first trainee booked, two more on the waitlist."""
    from datetime import date

    cohort = make_cohort(date.today() - timedelta(days=150))
    ids = trainees(app, make_user, cohort, 3)
    sid = make_session(app, cohort, capacity=1)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        for uid in ids:
            services.book(db.session.get(User, uid), session)
        db.session.commit()
    return sid, ids


def changes(session: CourseSession, **overrides) -> admin.SessionChanges:
    values = {f: getattr(session, f) for f in admin.SessionChanges.__dataclass_fields__}
    return admin.SessionChanges(**(values | overrides))


def statuses(sid):
    return [s.status for s in db.session.execute(sa.select(SessionBooking).where(
        SessionBooking.session_id == sid).order_by(SessionBooking.position)).scalars()]


def test_more_seats_go_to_the_waitlist_in_order_and_trainees_are_told(app, full_session,
                                                                      make_user):
    sid, ids = full_session
    staff = make_user("admin@example.jp", Role.ADMIN)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        changed = admin.update_session(db.session.get(User, staff), session,
                                       changes(session, capacity=2))
        db.session.commit()
        assert changed == ["capacity"]
        assert statuses(sid) == [BookingStatus.BOOKED, BookingStatus.OFFERED,
                                 BookingStatus.WAITLISTED]
        subjects = db.session.scalars(sa.select(OutgoingMail.subject)).all()
        assert sum("変更" in s for s in subjects) == 3  # all three with a live booking
        assert db.session.scalar(sa.select(AuditEvent.action).where(
            AuditEvent.action == "session.update")) == "session.update"


def test_capacity_cannot_drop_below_taken_seats(app, full_session, make_user):
    sid, _ = full_session
    staff = make_user("admin@example.jp", Role.ADMIN)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        admin.update_session(db.session.get(User, staff), session, changes(session, capacity=3))
        db.session.commit()  # 1 booked + 2 offered now
        with pytest.raises(services.BookingError) as err:
            admin.update_session(db.session.get(User, staff), session,
                                 changes(session, capacity=2))
        assert err.value.code == "capacity_below_taken"


@pytest.mark.parametrize(("field", "shift", "code"), [
    ("booking_closes_at", timedelta(days=-30), "booking_window"),
    ("booking_closes_at", timedelta(days=30), "booking_after_start"),
    ("cancel_cutoff_at", timedelta(days=6), "cutoff_after_close"),
    ("test_closes_at", timedelta(hours=-3), "test_window"),
])
def test_window_order_is_checked(app, full_session, make_user, field, shift, code):
    sid, _ = full_session
    staff = make_user("admin@example.jp", Role.ADMIN)
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        with pytest.raises(services.BookingError) as err:
            admin.update_session(db.session.get(User, staff), session,
                                 changes(session, **{field: getattr(session, field) + shift}))
        assert err.value.code == code


def test_booked_session_cannot_be_deleted_but_an_empty_one_can(app, full_session, make_user,
                                                               client, auth):
    sid, _ = full_session
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")
    refused = client.post(f"/staff/sessions/{sid}/delete", follow_redirects=True)
    assert "削除できません" in refused.text
    with app.app_context():
        cohort_id = db.session.get(CourseSession, sid).cohort_id
    empty = make_session(app, cohort_id, capacity=5)
    client.post(f"/staff/sessions/{empty}/delete")
    with app.app_context():
        assert db.session.get(CourseSession, empty) is None
        assert db.session.get(CourseSession, sid) is not None


def test_edit_form_in_tokyo_time_and_trainees_refused(app, full_session, make_user, client,
                                                      auth):
    sid, _ = full_session
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        tokyo = session.test_opens_at.astimezone(TOKYO).strftime("%Y-%m-%dT%H:%M")
        form = {"title": "第1回 集合研修（変更後）", "venue_id": session.venue_id,
                "capacity": 1, "instructors": "講師 山田",
                **{f: getattr(session, f).astimezone(TOKYO).strftime("%Y-%m-%dT%H:%M")
                   for f in ("booking_opens_at", "booking_closes_at", "cancel_cutoff_at",
                             "test_opens_at", "test_closes_at")}}
    page = client.get(f"/staff/sessions/{sid}/edit")
    assert f'value="{tokyo}"' in page.text
    assert client.post(f"/staff/sessions/{sid}/edit", data=form).status_code == 302
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        assert session.title == "第1回 集合研修（変更後）"
        assert session.test_opens_at.astimezone(TOKYO).strftime("%Y-%m-%dT%H:%M") == tokyo
    bad = client.post(f"/staff/sessions/{sid}/edit", data=form | {"capacity": 0})
    assert bad.status_code == 200 and "has-error" in bad.text
    auth.logout()
    make_user("t@example.jp", Role.TRAINEE)
    auth.login("t@example.jp")
    assert client.get(f"/staff/sessions/{sid}/edit").status_code == 403


def test_venue_edit(app, full_session, make_user, client, auth):
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")
    with app.app_context():
        venue_id = db.session.execute(sa.select(Venue.id)).scalar_one()
    response = client.post(f"/staff/sessions/venues/{venue_id}/edit", data={
        "name": "大阪会場", "address": "大阪府大阪市", "access_notes": "", "capacity": 40})
    assert response.status_code == 302
    with app.app_context():
        venue = db.session.get(Venue, venue_id)
        assert (venue.name, venue.capacity) == ("大阪会場", 40)


def _new_session_form(cohort_id: int, venue_id: int, first, **windows) -> dict:
    return {"what": "session", "session-cohort_id": cohort_id, "session-venue_id": venue_id,
            "session-title": "第2回 集合研修", "session-capacity": 12,
            "session-first_day": first.isoformat(), "session-days": 3,
            "session-booking_opens_at": "2030-01-01T00:00"} | {
        f"session-{name}": value for name, value in windows.items()}


def test_a_new_session_takes_the_policy_windows_and_is_audited_once(
        app, full_session, make_user, client, auth):
    from datetime import date, datetime, time

    sid, _ = full_session
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        cohort_id, venue_id = session.cohort_id, session.venue_id
    first = date(2030, 3, 4)
    response = client.post("/staff/sessions/", data=_new_session_form(cohort_id, venue_id, first))
    assert response.status_code == 302
    with app.app_context():
        new = db.session.execute(sa.select(CourseSession).where(
            CourseSession.id != sid)).unique().scalar_one()
        assert [d.day for d in new.days] == [first, date(2030, 3, 5), date(2030, 3, 6)]
        assert new.days[0].starts_at == datetime.combine(first, time(9, 30), TOKYO)
        assert new.booking_closes_at == datetime.combine(first, time(0), TOKYO)
        assert new.cancel_cutoff_at == datetime.combine(date(2030, 3, 2), time(0), TOKYO)
        assert new.test_opens_at == datetime(2030, 3, 6, 13, tzinfo=TOKYO)
        assert new.test_closes_at == datetime(2030, 3, 6, 17, tzinfo=TOKYO)
        assert db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.target_type == "CourseSession")).all() == ["session.create"]


@pytest.mark.parametrize(("field", "start", "value", "message"), [
    ("booking_closes_at", "booking_opens_at", "2029-12-31T00:00",
     "予約受付の開始は締切より前にしてください。"),
    ("test_closes_at", "test_opens_at", "2030-03-06T12:00",
     "修了認定テストの開始は終了より前にしてください。"),
])
def test_create_refuses_a_window_as_the_edit_does(app, full_session, make_user, client, auth,
                                                  field, start, value, message):
    from datetime import date

    sid, _ = full_session
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")
    with app.app_context():
        session = db.session.get(CourseSession, sid)
        cohort_id, venue_id = session.cohort_id, session.venue_id
        edit = {"title": session.title, "venue_id": venue_id, "capacity": 3, "instructors": "",
                **{f: getattr(session, f).astimezone(TOKYO).strftime("%Y-%m-%dT%H:%M")
                   for f in ("booking_opens_at", "booking_closes_at", "cancel_cutoff_at",
                             "test_opens_at", "test_closes_at")}}
    edit[field] = edit[start]  # the window ends as it begins
    edited = client.post(f"/staff/sessions/{sid}/edit", data=edit)
    created = client.post("/staff/sessions/", data=_new_session_form(
        cohort_id, venue_id, date(2030, 3, 4), **{field: value}))
    assert edited.status_code == created.status_code == 200
    assert message in text_of(edited.text) and message in text_of(created.text)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseSession)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action.in_(("session.create", "session.update")))) == 0


def test_a_new_venue_goes_through_its_form_and_is_audited(app, client, auth, make_user):
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")
    refused = client.post("/staff/sessions/", data={
        "what": "venue", "venue-name": "名古屋会場", "venue-address": "", "venue-capacity": 30})
    assert refused.status_code == 200 and "has-error" in refused.text
    client.post("/staff/sessions/", data={
        "what": "venue", "venue-name": " 名古屋会場 ", "venue-address": "愛知県名古屋市",
        "venue-capacity": 30})
    with app.app_context():
        venue = db.session.execute(sa.select(Venue)).scalar_one()
        assert (venue.name, venue.capacity) == ("名古屋会場", 30)
        assert db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.target_type == "Venue")).all() == ["venue.create"]
