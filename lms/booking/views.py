"""Trainees book a course ② session, join the waitlist, take up offers, and check in."""

from __future__ import annotations

import segno
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lms.booking import ics, programme, services
from lms.booking.models import BookingStatus, CourseSession, SessionBooking
from lms.cohorts.services import current_enrolment
from lms.extensions import db
from lms.links import external_url
from lms.progression import require_unlocked
from lms.security import Role, roles_required
from lms.timeutil import utcnow

bp = Blueprint("booking", __name__, url_prefix="/course2")
bp.record_once(lambda state: programme.register())  # its part of the programme

ERRORS = {
    "window_closed": lambda: _("Booking for this session is not open."),
    "already_booked": lambda: _("You already have a booking or waitlist place in this cohort."),
    "not_live": lambda: _("This booking is no longer active."),
    "cutoff_passed": lambda: _("The cancellation deadline has passed. Contact the secretariat."),
    "no_offer": lambda: _("There is no seat on offer for you."),
    "offer_expired": lambda: _("The offer has expired and passed to the next person."),
    "bad_code": lambda: _("This check-in code is not valid today."),
    "not_booked": lambda: _("You are not booked on this session."),
    "withdrawn": lambda: _("You have been treated as withdrawn; attendance is no longer "
                           "recorded."),
}


def _enrolment():
    require_unlocked(current_user, programme.UNIT)
    enrolment = current_enrolment(current_user)
    if enrolment is None:
        abort(403, _("You are not enrolled in a cohort. The secretariat enrols you once your "
                     "application is approved."))
    return enrolment


@bp.route("/")
@roles_required(Role.TRAINEE)
def index():
    enrolment = _enrolment()
    sessions = db.session.execute(db.select(CourseSession).filter_by(
        cohort_id=enrolment.cohort_id).order_by(CourseSession.id)).unique().scalars().all()
    taken = {s.id: sum(1 for b in services._seats(s) if b.status != "waitlisted")
             for s in sessions}
    mine = services.live_booking(current_user, enrolment.cohort_id)
    return render_template("booking/index.html", sessions=sessions, taken=taken, mine=mine,
                           place=services.waitlist_place(mine) if mine else None, now=utcnow())


def _act(action, *args):
    try:
        action(current_user, *args)
    except services.BookingError as exc:
        db.session.rollback()
        flash(ERRORS[exc.code](), "error")
    else:
        db.session.commit()
        return True
    return False


@bp.route("/sessions/<int:session_id>/book", methods=["POST"])
@roles_required(Role.TRAINEE)
def book(session_id: int):
    enrolment = _enrolment()
    session = db.session.get(CourseSession, session_id)
    if session is None or session.cohort_id != enrolment.cohort_id:
        abort(404)
    if _act(services.book, session):
        flash(_("Done. Your booking status is shown below."), "success")
    return redirect(url_for("booking.index"))


def _own(booking_id: int) -> SessionBooking:
    booking = db.session.get(SessionBooking, booking_id)
    if booking is None or booking.user_id != current_user.id:
        abort(404)
    return booking


@bp.route("/bookings/<int:booking_id>/cancel", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def cancel(booking_id: int):
    """A confirmation page first: cancelling gives the seat away to the waitlist at once."""
    _enrolment()
    booking = _own(booking_id)
    if request.method == "GET":
        if booking.status not in services.LIVE:
            return redirect(url_for("booking.index"))
        return render_template("booking/cancel.html", booking=booking,
                               place=services.waitlist_place(booking))
    if _act(services.cancel, booking):
        flash(_("Your booking was cancelled."), "success")
    return redirect(url_for("booking.index"))


@bp.route("/bookings/<int:booking_id>/ticket")
@roles_required(Role.TRAINEE)
def ticket(booking_id: int):
    """The admission ticket (受講票) to show at the venue's reception, with its QR code."""
    _enrolment()
    booking = _own(booking_id)
    if booking.status != BookingStatus.BOOKED:
        abort(404)
    url = external_url("sessions_staff.booking", booking_id=booking.id)
    qr = Markup(segno.make(url, error="m").svg_inline(scale=4, title=url))
    return render_template("booking/ticket.html", booking=booking, qr=qr)


@bp.route("/bookings/<int:booking_id>/confirm", methods=["POST"])
@roles_required(Role.TRAINEE)
def confirm(booking_id: int):
    _enrolment()
    if _act(services.confirm_offer, _own(booking_id)):
        flash(_("The seat is yours: your booking is confirmed."), "success")
    return redirect(url_for("booking.index"))


@bp.route("/bookings/<int:booking_id>/calendar.ics")
@roles_required(Role.TRAINEE)
def calendar(booking_id: int):
    booking = _own(booking_id)
    session = booking.session
    if not session.days:
        abort(404)
    body = ics.session_calendar(
        f"session-{session.id}-user-{current_user.public_id}", session.title,
        f"{session.venue.name} {session.venue.address}", session.venue.access_notes,
        [(d.starts_at, d.ends_at) for d in session.days], utcnow())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="course2-session-{session.id}.ics"'})


@bp.route("/check-in/<code>", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def check_in(code: str):
    """Scanning the day's QR code opens this page; the button records the check-in."""
    _enrolment()
    if request.method == "GET":
        return render_template("booking/check_in.html", code=code)
    if _act(services.check_in, code):
        flash(_("Checked in. Thank you."), "success")
    return redirect(url_for("booking.index"))
