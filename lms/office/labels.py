"""Labels of the office pages: flags, sort keys, deadlines, booking states."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.practice.forms_cache import report_forms
from lms.templating import date_label

FLAG_LABELS = {
    "overdue": _l("Overdue"),
    "returned": _l("Returned report waiting"),
    "waitlisted": _l("Waitlisted"),
    "withdrawn": _l("Withdrawn"),
}

SORT_LABELS = {
    "name": _l("Name"),
    "stage": _l("Stage"),
    "progress": _l("Lectures completed"),
    "last_activity": _l("Last activity"),
    "deadline": _l("Days left"),
}

BOOKING_LABELS = {
    "booked": _l("Booked"),
    "waitlisted": _l("Waitlisted"),
    "offered": _l("Seat offered"),
    "cancelled": _l("Cancelled"),
    "expired": _l("Offer expired"),
}


def deadline_titles() -> dict[str, str]:
    """Deadline key → what is due: the comprehensive test by course ①'s end, or a report."""
    titles = {kind: form.title for kind, form in report_forms().items()}
    titles["course1_end"] = _("%(what)s (comprehensive test)", what=date_label("course1_end"))
    return titles


def context() -> dict:
    return {"flag_labels": FLAG_LABELS, "sort_labels": SORT_LABELS,
            "booking_labels": BOOKING_LABELS, "deadline_titles": deadline_titles()}
