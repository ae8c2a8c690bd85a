"""Administrators set up venues and sessions; instructors keep the attendance roster."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lms.auth.models import User
from lms.booking import admin, services
from lms.booking.forms import NewSessionForm, SessionForm, VenueForm
from lms.booking.models import AttendanceStatus, CourseSession, SessionBooking, SessionDay, Venue
from lms.booking.rules import WINDOW_FIELDS
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


def _venue_choices(form: SessionForm) -> None:
    form.venue_id.choices = [(v.id, v.name) for v in admin.venues()]


def _tokyo_windows(form: SessionForm) -> dict:
    """The form's windows as Tokyo times (typed as wall-clock times); None where empty."""
    return {name: value.replace(tzinfo=TOKYO) if (value := getattr(form, name).data) else None
            for name in WINDOW_FIELDS}


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.INSTRUCTOR)
def index():
    session_form, venue_form = NewSessionForm(prefix="session"), VenueForm(prefix="venue")
    _venue_choices(session_form)
    session_form.cohort_id.choices = [(c.id, c.name) for c in admin.cohorts()]
    if request.method == "POST":
        if not current_user.has_role(Role.ADMIN):
            abort(403, _("Only the secretariat (administrators) adds venues and sessions."))
        created = _create_venue(venue_form) if request.form.get("what") == "venue" \
            else _create_session(session_form)
        if created:
            return redirect(url_for("sessions_staff.index"))
    sessions = admin.sessions()
    return render_template("booking/staff_index.html", sessions=sessions,
                           counts=admin.seat_counts(sessions), venues=admin.venues(),
                           session_form=session_form, venue_form=venue_form)


def _create_session(form: NewSessionForm) -> bool:
    if not form.validate_on_submit():
        flash(SESSION_ERRORS["invalid"](), "error")
        return False
    try:
        admin.create_session(current_user, admin.NewSession(
            cohort_id=form.cohort_id.data, venue_id=form.venue_id.data, title=form.title.data,
            capacity=form.capacity.data, instructors=form.instructors.data or "",
            first_day=form.first_day.data, days=form.days.data, **_tokyo_windows(form)))
    except services.BookingError as exc:
        db.session.rollback()
        flash(SESSION_ERRORS[exc.code](), "error")
        return False
    db.session.commit()
    flash(_("Saved."), "success")
    return True


def _create_venue(form: VenueForm) -> bool:
    if not form.validate_on_submit():
        flash(SESSION_ERRORS["invalid"](), "error")
        return False
    admin.create_venue(current_user, form.name.data, form.address.data,
                       form.access_notes.data or "", form.capacity.data)
    db.session.commit()
    flash(_("Saved."), "success")
    return True


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
    booked = services.booked_trainees(day.session_id)
    marks = services.marks_of(day)
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


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_session(session_id: int):
    session = db.session.get(CourseSession, session_id) or abort(404)
    form = SessionForm(obj=session)
    _venue_choices(form)
    if request.method == "GET":
        for name in WINDOW_FIELDS:  # shown and typed as Tokyo wall-clock times
            value = getattr(session, name)
            getattr(form, name).data = value.astimezone(TOKYO).replace(tzinfo=None) \
                if value else None
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in
                  ("title", "venue_id", "capacity", "instructors")}
        values |= _tokyo_windows(form)
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
