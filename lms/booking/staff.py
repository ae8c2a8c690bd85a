"""Administrators set up venues and sessions; instructors keep the attendance roster."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import segno
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lms import audit
from lms.assessment import paper
from lms.assessment.models import QuizAttempt
from lms.assessment.services import quiz_by_slug
from lms.auth.models import User
from lms.booking import admin, services
from lms.booking.forms import SessionForm, VenueForm
from lms.booking.models import (
    Attendance,
    AttendanceStatus,
    BookingStatus,
    CourseSession,
    SessionBooking,
    SessionDay,
    Venue,
)
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.forms import ActionForm
from lms.links import external_url
from lms.security import Role, roles_required
from lms.timeutil import TOKYO, today_tokyo

bp = Blueprint("sessions_staff", __name__, url_prefix="/staff/sessions")


ROSTER_ERRORS = {
    "not_booked": lambda: _("That trainee is not booked on this session."),
    "withdrawn": lambda: _("That trainee has withdrawn; attendance is no longer recorded."),
    "future_day": lambda: _("Attendance can be marked only on or after the session day."),
    "correction_admin_only": lambda: _("After the session day, only an administrator can "
                                       "correct attendance."),
}


def _tokyo(day, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), TOKYO)


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.INSTRUCTOR)
def index():
    if request.method == "POST":
        if not current_user.has_role(Role.ADMIN):
            abort(403, _("Only the secretariat (administrators) adds venues and sessions."))
        return _create()
    sessions = db.session.execute(db.select(CourseSession).order_by(CourseSession.id.desc())
                                  ).unique().scalars().all()
    counts = {s.id: {st: 0 for st in BookingStatus} for s in sessions}
    for sid, status, n in db.session.execute(db.select(
            SessionBooking.session_id, SessionBooking.status, db.func.count())
            .group_by(SessionBooking.session_id, SessionBooking.status)).all():
        counts[sid][status] = n
    return render_template("booking/staff_index.html", sessions=sessions, counts=counts,
                           venues=db.session.execute(db.select(Venue)).scalars().all(),
                           cohorts=db.session.execute(db.select(Cohort)).unique().scalars().all())


def _create():
    form = request.form
    try:
        if form.get("what") == "venue":
            venue = Venue(name=form["name"].strip(), address=form["address"].strip(),
                          access_notes=form.get("access_notes", ""),
                          capacity=int(form["capacity"]))
            if not venue.name or venue.capacity < 1:
                raise ValueError
            db.session.add(venue)
            db.session.flush()
            audit.record(current_user, "venue.create", venue, {"name": venue.name})
        else:
            first = datetime.fromisoformat(form["first_day"]).date()
            days = int(form["days"])
            session = CourseSession(
                cohort_id=int(form["cohort_id"]), venue_id=int(form["venue_id"]),
                title=form["title"].strip(), capacity=int(form["capacity"]),
                instructors=form.get("instructors", ""),
                booking_opens_at=_tokyo(datetime.fromisoformat(form["opens"]).date(), "00:00"),
                # half-open windows: closed from 00:00 of the day, so the whole last day counts
                booking_closes_at=_tokyo(first, "00:00"),
                cancel_cutoff_at=_tokyo(first - timedelta(days=2), "00:00"),
                test_opens_at=_tokyo(first + timedelta(days=days - 1), "13:00"),
                test_closes_at=_tokyo(first + timedelta(days=days - 1), "17:00"))
            if session.capacity < 1 or not session.title or not 1 <= days <= 10:
                raise ValueError
            for n in range(days):
                day = first + timedelta(days=n)
                session.days.append(SessionDay(day=day, starts_at=_tokyo(day, "09:30"),
                                               ends_at=_tokyo(day, "17:00")))
            db.session.add(session)
            db.session.flush()
            audit.record(current_user, "session.create", session, {"title": session.title})
    except (KeyError, ValueError):
        db.session.rollback()
        flash(_("Fill in every field with valid values."), "error")
    else:
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("sessions_staff.index"))


@bp.route("/days/<int:day_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.INSTRUCTOR)
def roster(day_id: int):
    day = db.session.get(SessionDay, day_id) or abort(404)
    if request.method == "POST":
        try:
            services.mark(current_user, day, int(request.form["user_id"]),
                          AttendanceStatus(request.form["status"]))
        except services.BookingError as exc:
            db.session.rollback()
            flash(ROSTER_ERRORS.get(exc.code, ROSTER_ERRORS["not_booked"])(), "error")
        except (KeyError, ValueError):
            db.session.rollback()
            flash(ROSTER_ERRORS["not_booked"](), "error")
        else:
            db.session.commit()
        return redirect(url_for("sessions_staff.roster", day_id=day.id))
    booked = db.session.execute(db.select(User).join(
        SessionBooking, SessionBooking.user_id == User.id).where(
        SessionBooking.session_id == day.session_id,
        SessionBooking.status == BookingStatus.BOOKED).order_by(User.name)).scalars().all()
    marks = dict(db.session.execute(db.select(Attendance.user_id, Attendance.status)
                                    .filter_by(day_id=day.id)).all())
    checkin_url = external_url("booking.check_in", code=day.checkin_code)
    qr = Markup(segno.make(checkin_url, error="m").svg_inline(scale=5, title=checkin_url))
    today = today_tokyo()
    closed = ROSTER_ERRORS["future_day"]() if day.day > today else (
        ROSTER_ERRORS["correction_admin_only"]()
        if day.day < today and not current_user.has_role(Role.ADMIN) else None)
    return render_template("booking/roster.html", day=day, booked=booked, marks=marks,
                           statuses=list(AttendanceStatus), checkin_url=checkin_url, qr=qr,
                           closed=closed)


@bp.route("/bookings/<int:booking_id>")
@roles_required(Role.ADMIN, Role.INSTRUCTOR)
def booking(booking_id: int):
    """What the QR code on an admission ticket (受講票) opens: whose booking it is."""
    row = db.session.get(SessionBooking, booking_id) or abort(404)
    return render_template("booking/staff_booking.html", booking=row,
                           trainee=db.session.get(User, row.user_id))


@bp.route("/<int:session_id>/scores", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def scores(session_id: int):
    """Certification test on paper: enter the scores of a session's trainees, or upload CSV."""
    session = db.session.get(CourseSession, session_id) or abort(404)
    quiz = quiz_by_slug("certification") or abort(404)
    booked = db.session.execute(db.select(User).join(
        SessionBooking, SessionBooking.user_id == User.id).where(
        SessionBooking.session_id == session.id,
        SessionBooking.status == BookingStatus.BOOKED).order_by(User.name)).scalars().all()
    if request.method == "POST":
        try:
            upload = request.files.get("csv")
            if upload and upload.filename:
                count = paper.record_csv(current_user, quiz, session,
                                         upload.read().decode("utf-8-sig", errors="replace"))
            else:
                entered = {u: request.form.get(f"score-{u.id}", "").strip() for u in booked}
                count = paper.record_lines(current_user, quiz, session, [
                    paper.ScoreLine(0, user.email, user, _score(raw))
                    for user, raw in entered.items() if raw])
        except paper.PaperRefused as exc:
            db.session.rollback()
            flash(_("Nothing was recorded."), "error")
            for problem in exc.problems:
                flash(_("Line %(n)s: %(problem)s", n=problem.line, problem=problem)
                      if problem.line else str(problem), "error")
        else:
            db.session.commit()
            flash(_("%(n)s scores recorded.", n=count), "success")
        return redirect(url_for("sessions_staff.scores", session_id=session.id))
    results = {a.user_id: a for a in db.session.execute(db.select(QuizAttempt).where(
        QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id.in_([u.id for u in booked]))
        .order_by(QuizAttempt.id)).unique().scalars()}
    return render_template("booking/scores.html", session=session, quiz=quiz, booked=booked,
                           results=results, possible=paper.possible_points(quiz))


def _score(raw: str) -> float:
    try:
        return float(raw.strip())
    except ValueError:
        return -1.0  # refused as outside the range, with the trainee named


SESSION_ERRORS = {
    "invalid": lambda: _("Fill in every field with valid values."),
    "booking_window": lambda: _("Booking must open before it closes."),
    "booking_after_start": lambda: _("Booking must close before the first day starts."),
    "cutoff_after_close": lambda: _("The cancellation deadline must not be after booking "
                                    "closes."),
    "test_window": lambda: _("The certification test must open before it closes."),
    "capacity_below_taken": lambda: _("More seats are already taken than the new capacity. "
                                      "Ask trainees to cancel first, or keep the capacity."),
    "has_bookings": lambda: _("Trainees have booked this session, so it cannot be deleted. "
                              "Change it instead."),
}
WINDOWS = ("booking_opens_at", "booking_closes_at", "cancel_cutoff_at", "test_opens_at",
           "test_closes_at")


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_session(session_id: int):
    session = db.session.get(CourseSession, session_id) or abort(404)
    form = SessionForm(obj=session)
    form.venue_id.choices = [(v.id, v.name) for v in db.session.execute(
        db.select(Venue).order_by(Venue.name)).scalars()]
    if request.method == "GET":
        for name in WINDOWS:  # shown and typed as Tokyo wall-clock times
            value = getattr(session, name)
            getattr(form, name).data = value.astimezone(TOKYO).replace(tzinfo=None) \
                if value else None
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in
                  ("title", "venue_id", "capacity", "instructors")}
        values |= {name: getattr(form, name).data.replace(tzinfo=TOKYO) for name in WINDOWS}
        try:
            changed = admin.update_session(current_user, session,
                                           admin.SessionChanges(**values))
        except services.BookingError as exc:
            db.session.rollback()
            flash(SESSION_ERRORS[exc.code](), "error")
        else:
            db.session.commit()
            flash(_("Saved; trainees who booked were told by mail.") if changed
                  else _("Nothing changed."), "success")
            return redirect(url_for("sessions_staff.index"))
    return render_template("booking/session_form.html", form=form, session=session,
                           taken=admin.taken_seats(session), action_form=ActionForm())


@bp.route("/<int:session_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN)
def delete_session(session_id: int):
    session = db.session.get(CourseSession, session_id) or abort(404)
    if ActionForm().validate_on_submit():
        try:
            admin.delete_session(current_user, session)
        except services.BookingError as exc:
            db.session.rollback()
            flash(SESSION_ERRORS[exc.code](), "error")
            return redirect(url_for("sessions_staff.edit_session", session_id=session_id))
        db.session.commit()
        flash(_("Session deleted."), "success")
    return redirect(url_for("sessions_staff.index"))


@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_venue(venue_id: int):
    venue = db.session.get(Venue, venue_id) or abort(404)
    form = VenueForm(obj=venue)
    if form.validate_on_submit():
        admin.update_venue(current_user, venue, form.name.data, form.address.data,
                           form.access_notes.data or "", form.capacity.data)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("sessions_staff.index"))
    return render_template("booking/venue_form.html", form=form, venue=venue)
