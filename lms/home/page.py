"""The trainee home's body, drawn once per (trainee, progress version, language, Tokyo date)
and kept across requests.

Everything the body shows comes from rows whose writes bump the trainee's progress version
(the stages' records, registered by each stage; the enrolment and cohort, by progression;
report extensions and course ② bookings and sessions, here) or from the date. What changes
otherwise — the unread count, the menu, the CSRF token, flashed messages — is drawn around
it by ``base.html`` on every request.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from markupsafe import Markup

from lms.booking.models import CourseSession, SessionBooking
from lms.caches import app_cache
from lms.cohorts.models import Enrolment
from lms.cohorts.services import current_enrolment
from lms.content import progress
from lms.extensions import db
from lms.home import services
from lms.practice.models import DeadlineExtension
from lms.progression import stage_path, versions
from lms.progression.registry import gated_pages
from lms.templating import _locale, gettext_callables

BODY_TEMPLATE = "home/trainee_body.html"


def body(user, today: date) -> Markup:
    """The home page's content for *user* as of *today*, from the cache when it holds."""
    key = (*versions.version_key(user, today), _locale())
    cache = app_cache("trainee_home", 1000)  # ~10 kB each: at most ~10 MB a process
    html = cache.get(key)
    if html is None:
        html = draw(user, today)
        if not versions.has_changes(db.session):
            cache.put(key, html)
    return Markup(html)


def draw(user, today: date) -> str:
    """The body drawn from the database (what the cache keeps)."""
    groups = progress.course_progress(user)
    enrolled = current_enrolment(user) is not None
    return current_app.jinja_env.get_template(BODY_TEMPLATE).render(
        **gettext_callables(),
        home=services.trainee_home(user, today), today=today, groups=groups,
        lectures=progress.overall_percent(groups),
        path=stage_path(user) if enrolled else [],
        stage_pages={u: page for page, u in gated_pages().items()})


def track() -> None:
    """What the body reads besides the stages' own records: report deadline extensions, and
    the titles of the course ② sessions offered."""
    versions.track(DeadlineExtension, DeadlineExtension.enrolment_id,
                   via=(Enrolment.id, Enrolment.user_id))
    versions.track(CourseSession, CourseSession.id,
                   via=(SessionBooking.session_id, SessionBooking.user_id))
