"""How the audit log names venues, course ② sessions and attendance."""

from __future__ import annotations

from flask import url_for

from lms import audit
from lms.auth.models import User
from lms.booking.models import Attendance, CourseSession, SessionDay, Venue
from lms.extensions import db
from lms.i18n import N_

audit.register_actions({
    "venue.create": N_("Venue created"),
    "venue.update": N_("Venue changed"),
    "session.create": N_("Course 2 session created"),
    "session.update": N_("Course 2 session changed"),
    "session.delete": N_("Course 2 session deleted"),
    "booking.attendance": N_("Attendance recorded"),
})
audit.register_values({
    "present": N_("Present"), "late": N_("Late"), "absent": N_("Absent"),
    "left_early": N_("Left early"), "roster": N_("Roster"),
})


def _session(ident: str):
    row = db.session.get(CourseSession, int(ident))
    return (row.title, url_for("sessions_staff.edit_session", session_id=row.id)) if row else None


def _attendance(ident: str):
    row = db.session.get(Attendance, int(ident))
    if row is None:
        return None
    day = db.session.get_one(SessionDay, row.day_id)
    return (f"{db.session.get_one(User, row.user_id).name}: {day.session.title} "
            f"{day.day:%Y/%m/%d}", url_for("sessions_staff.roster", day_id=day.id))


def _venue(ident: str):
    row = db.session.get(Venue, int(ident))
    return (row.name, None) if row else None


audit.register_target("CourseSession", _session)
audit.register_target("Attendance", _attendance)
audit.register_target("Venue", _venue)
