"""Helpers and fixtures that several test modules share (tests import these, never each
other)."""

import email
import email.policy
import glob
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from lms.auth.models import User
from lms.booking.models import (
    CourseSession,
    SessionBooking,
    SessionDay,
    Venue,
)
from lms.certification.rules import Requirement
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.content.models import LectureModule, ModuleProgress
from lms.extensions import db
from lms.security import Role
from lms.timeutil import utcnow
from tests.conftest import require

NOW = utcnow()


def make_session(app, cohort_id, capacity=2, days=2, first=None) -> int:
    first = first or date.today() + timedelta(days=10)
    with app.app_context():
        venue = Venue(name="東京会場", address="東京都千代田区", capacity=60)
        session = CourseSession(
            cohort_id=cohort_id, venue=venue, title="第1回 集合研修", capacity=capacity,
            booking_opens_at=NOW - timedelta(days=1), booking_closes_at=NOW + timedelta(days=5),
            cancel_cutoff_at=NOW + timedelta(days=3),
            test_opens_at=NOW - timedelta(hours=1), test_closes_at=NOW + timedelta(hours=1))
        for n in range(days):
            start = datetime.combine(first + timedelta(days=n), datetime.min.time(), NOW.tzinfo)
            session.days.append(SessionDay(day=first + timedelta(days=n),
                                           starts_at=start + timedelta(hours=1),
                                           ends_at=start + timedelta(hours=8)))
        db.session.add(session)
        db.session.commit()
        return session.id


def trainees(app, make_user, cohort_id, n):
    ids = [make_user(None, Role.TRAINEE) for _ in range(n)]
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        for uid in ids:
            enrol(None, cohort, db.session.get(User, uid))
        db.session.commit()
    return ids


def booking_of(app, uid):
    with app.app_context():
        return db.session.execute(sa.select(SessionBooking).filter_by(user_id=uid)
                                  .order_by(SessionBooking.id.desc())).unique().scalars().first()


def outbox(app) -> list[email.message.Message]:
    files = sorted(glob.glob(os.path.join(app.config["MAIL_OUTBOX"], "*.eml")))
    messages = []
    for name in files:
        with open(name, "rb") as fh:
            messages.append(email.message_from_binary_file(fh, policy=email.policy.default))
    return messages


def pdf_text(data: bytes) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) not installed")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def qr_text(data: bytes) -> str:
    """The text of the QR code on the first page (rendered by pdftoppm, decoded by zxing-cpp)."""
    require(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) not installed")
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "c.pdf")
        with open(source, "wb") as fh:
            fh.write(data)
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", source,
                        os.path.join(tmp, "page")], check=True)
        with Image.open(os.path.join(tmp, "page.png")) as image:
            results = zxingcpp.read_barcodes(image)
    assert results, "no QR code found on the page"
    return results[0].text


def report(client, slug, segments, report_id=None, events=(), position=0, final=False):
    """Send a player report in the viewing session the module page opened last."""
    return client.post(f"/course/modules/{slug}/progress", json={
        "report_id": report_id or str(uuid.uuid4()), "segments": segments,
        "events": list(events), "position": position, "final": final,
        "session_id": getattr(client, "viewing_session", "")})


def open_page(client, slug):
    """Open a module page as the trainee's browser does; remember its viewing session."""
    page = client.get(f"/course/modules/{slug}")
    client.viewing_session = re.search(r'data-session-id="([^"]+)"', page.text).group(1)
    return page


def open_long_ago(app, uid, slug):
    """Pretend the module page was opened a minute ago, so real time allows full coverage."""
    with app.app_context():
        row = db.session.execute(sa.select(ModuleProgress).join(LectureModule)
                                 .where(LectureModule.slug == slug,
                                        ModuleProgress.user_id == uid)).unique().scalar_one()
        row.opened_at = utcnow() - timedelta(minutes=1)
        db.session.commit()


def goal_values(app):
    """Valid goal-sheet values for whatever fields the real goal form declares."""
    from lms.practice.forms_cache import report_forms

    with app.app_context():
        form = report_forms()["goal"]
    values = {}
    for field in form.fields:
        if field.type == "text":
            values[field.id] = "あ" * max(field.min_length or 1, 1)
        elif field.type == "choice":
            values[field.id] = field.options[0]
        elif field.type == "multichoice":
            values[field.id] = [field.options[0]]
        elif field.type == "date":
            values[field.id] = "2027-03-31"
        elif field.type == "number":
            values[field.id] = str(field.min or 1)
    return values


def watch_group(client, app, uid, slug):
    client.get(f"/course/modules/{slug}")
    with app.app_context():
        from lms.content.models import ModuleProgress

        row = db.session.execute(sa.select(ModuleProgress).filter_by(user_id=uid)
                                 .order_by(ModuleProgress.id.desc())).unique().scalars().first()
        row.opened_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
    client.post(f"/course/modules/{slug}/progress", json={
        "report_id": str(uuid.uuid4()), "segments": [[0, 6]], "position": 6})


PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ACCEPTED = "http://activitystrea.ms/schema/1.0/accept"
RETURNED = "http://activitystrea.ms/schema/1.0/reject"

#: what certification readiness lists for the sample programme (``content/program.yml``): the
#: LMS derives it from the programme file and the registry, the tests state it
REQUIREMENTS = (
    *(Requirement(f"quiz:group-{g}", f"quizzes/group-{g}", PASSED) for g in "abcde"),
    Requirement("quiz:comprehensive", "quizzes/comprehensive", PASSED),
    Requirement("report:goal", "practice/goal", ACCEPTED, (ACCEPTED, RETURNED)),
    Requirement("report:progress", "practice/progress", ACCEPTED, (ACCEPTED, RETURNED)),
    Requirement("report:final", "practice/final", ACCEPTED, (ACCEPTED, RETURNED)),
    Requirement("stage:course2", "stages/course2", COMPLETED),
    Requirement("quiz:certification", "quizzes/certification", PASSED, (PASSED, FAILED),
                committee=True),
)


def within_one_minute(seconds: float) -> None:
    """Wait, if need be, until at least *seconds* remain of the current UTC minute: the
    per-minute counters (certificate verification) count in whole minutes, so a burst that
    straddled two would be counted as two."""
    left = 60 - time.time() % 60
    if left < seconds:
        time.sleep(left + 0.1)


def at_once(target, arguments: list[tuple], timeout: float | None = 60) -> None:
    """Run ``target(*args)`` for each of *arguments*, each in its own thread, all started
    before any is waited for (each wait at most *timeout* seconds): concurrent clicks,
    bookings, job runs."""
    threads = [threading.Thread(target=target, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
