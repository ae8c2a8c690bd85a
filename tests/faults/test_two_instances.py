"""Two LMS instances (two gunicorn processes on two ports, as two machines) on one database.

Nothing may live in one process only: the session cookie is signed with the shared key and
read by either; answers saved through one are seen through the other; the seat lock, the
verification throttle, the login lockout and the LRS request rate are rows in the database, so
they hold across both.
"""

from __future__ import annotations

import re
import threading
import urllib.error
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.assessment.models import QuizAttempt
from lms.booking.models import BookingStatus, CourseSession, SessionBooking, Venue
from lms.extensions import db
from lms.timeutil import utcnow
from tests.conftest import database_url
from tests.factories import at_once, within_one_minute
from tests.faults.servers import Browser, LmsInstance

#: the LRS rate the two instances share (each runs 2 workers: 4 processes count one allowance)
LRS_RATE = 10


@pytest.fixture(scope="module")
def instances(tmp_path_factory, programme_root):
    """Started once for the module: they hold nothing between requests."""
    tmp = tmp_path_factory.mktemp("two")
    shared = {"RATE_LIMIT_STORAGE": "database", "XAPI_RATE_LIMIT": f"{LRS_RATE} per minute"}
    with LmsInstance(tmp / "a", programme_root, name="lms-a", **shared) as a, \
            LmsInstance(tmp / "b", programme_root, name="lms-b", **shared) as b:
        yield a, b


@pytest.fixture
def two(instances, programme):
    return instances


def test_a_trainee_moves_between_instances_mid_test(app, two, enrolled):
    a, b = two
    enrolled(1)
    browser = Browser(a.url).login("t0@example.jp")
    attempt_id = int(re.search(r"/attempts/(\d+)",
                               browser.post("/quizzes/group-a/start").url).group(1))
    with app.app_context():
        items = [(i.question_id, i.question) for i in db.session.get(QuizAttempt,
                                                                    attempt_id).items]
    single = [(qid, q) for qid, q in items if q["type"] == "single"]
    q1, first = single[0]
    option1, option2 = first["options"][0]["id"], first["options"][1]["id"]

    assert browser.post(f"/attempts/{attempt_id}/answers",
                        json_body={"question_id": q1, "response": option1}).status == 200
    browser.base = b.url  # the proxy sends the next request to the other machine
    page = browser.get(f"/attempts/{attempt_id}")
    assert re.search(rf'value="{option1}" checked', page), "B sees the answer saved on A"
    assert browser.post(f"/attempts/{attempt_id}/answers",
                        json_body={"question_id": q1, "response": option2}).status == 200
    browser.base = a.url
    page = browser.get(f"/attempts/{attempt_id}")
    assert re.search(rf'value="{option2}" checked', page), "A sees the answer changed on B"
    assert not re.search(rf'value="{option1}" checked', page)
    assert browser.post("/quizzes/group-a/start").url.endswith(f"/attempts/{attempt_id}")
    browser.base = b.url
    assert browser.post(f"/attempts/{attempt_id}/submit").status == 200
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.finished_at is not None
        assert {i.question_id: i.response for i in attempt.items}[q1] == option2


def test_hundred_concurrent_bookings_across_two_instances_give_the_capacity(app, two,
                                                                          enrolled):
    if not database_url().startswith("postgresql"):
        # runs in the PostgreSQL pass of `make test` (which CI requires); SQLite has no row locks
        pytest.skip("PostgreSQL only: runs in the PostgreSQL pass (LMS_TEST_DATABASE_URL)")
    a, b = two
    cid, emails = enrolled(100)
    now = utcnow()
    with app.app_context():
        session = CourseSession(
            cohort_id=cid, venue=Venue(name="東京会場", address="東京都千代田区", capacity=60),
            title="第1回 集合研修", capacity=10, booking_opens_at=now - timedelta(days=1),
            booking_closes_at=now + timedelta(days=5), cancel_cutoff_at=now + timedelta(days=3),
            test_opens_at=now - timedelta(hours=1), test_closes_at=now + timedelta(hours=1))
        db.session.add(session)
        db.session.commit()
        sid = session.id
    browsers = [Browser((a, b)[i % 2].url) for i in range(100)]
    errors: list[str] = []

    def login(i):
        try:
            browsers[i].login(emails[i])
        except Exception as exc:  # noqa: BLE001 - collected and reported
            errors.append(f"login {i}: {exc!r}")

    at_once(login, [(i,) for i in range(100)], 120)
    assert errors == []
    barrier = threading.Barrier(100)
    statuses: list[int] = []

    def book(i):
        try:
            barrier.wait(30)
            statuses.append(browsers[i].post(f"/course2/sessions/{sid}/book").status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"book {i}: {exc!r}")

    at_once(book, [(i,) for i in range(100)], 120)
    assert errors == [] and statuses == [200] * 100
    with app.app_context():
        counts = dict(db.session.execute(sa.select(SessionBooking.status, sa.func.count())
                                         .group_by(SessionBooking.status)).all())
        per_user = db.session.execute(sa.select(sa.func.count()).select_from(SessionBooking)
                                      .group_by(SessionBooking.user_id)).scalars().all()
    assert counts == {BookingStatus.BOOKED: 10, BookingStatus.WAITLISTED: 90}
    assert set(per_user) == {1}


def test_throttle_and_login_lockout_hold_across_instances(app, two, make_user):
    a, b = two
    app.config["CERT_VERIFY_PER_MINUTE"] = 20  # the instances' default too
    within_one_minute(30)  # 22 requests to two servers, however slowly they answer
    statuses = []
    for i in range(22):
        statuses.append(Browser((a, b)[i % 2].url).status_of("/certificates/v/unknown")[0])
    assert statuses[:20] == [404] * 20 and statuses[20:] == [429, 429]

    make_user("locked@example.jp")
    for i in range(5):
        browser = Browser((a, b)[i % 2].url)
        browser.refresh_token("/auth/login")
        browser.post("/auth/login", {"email": "locked@example.jp", "password": "wrong"})
    browser = Browser(b.url)
    browser.refresh_token("/auth/login")
    page = browser.post("/auth/login", {"email": "locked@example.jp",
                                        "password": "correct-horse-42"}).read().decode()
    assert "/auth/login" in browser.get("/trainee/") or "ロック" in page


def test_the_lrs_request_rate_holds_across_instances(app, two):
    """Two instances × two workers, one allowance: requests alternating between the instances
    get exactly ``LRS_RATE`` answers, then 429 (counted per process, they would get 40)."""
    import base64
    import urllib.request

    from lms.lrs import clients

    with app.app_context():
        clients.create(None, "partner", key="partner", secret="partner-secret")
        db.session.commit()
    auth = "Basic " + base64.b64encode(b"partner:partner-secret").decode()

    def status(base: str) -> int:
        request = urllib.request.Request(base + "/xapi/statements?limit=1", headers={
            "Authorization": auth, "X-Experience-API-Version": "1.0.3"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    a, b = two
    statuses = [status((a, b)[i % 2].url) for i in range(LRS_RATE + 6)]
    assert statuses == [200] * LRS_RATE + [429] * 6
