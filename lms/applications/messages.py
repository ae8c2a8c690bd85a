"""Messages for application errors and labels, in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from lms.applications import rules


def error_message(code: str, **params) -> str:
    """The sentence for an ApplicationError, CohortError or EvidenceError code."""
    messages = {
        "window_closed": lambda: _("This cohort is not taking applications now."),
        "not_editable": lambda: _("This application can no longer be changed."),
        "invalid": lambda: _("Something in the request could not be read. Reload the page and "
                             "try again."),
        "incomplete": lambda: _("Some items are missing. Fill in the highlighted fields and "
                                "submit again; your draft is saved."),
        "no_experience": lambda: _("Add at least one period of experience or a "
                                   "qualification."),
        "not_submitted": lambda: _("Only a submitted application can be decided."),
        "evidence_missing": lambda: _("An evidence document is missing for some periods or "
                                      "qualifications; it cannot be accepted yet."),
        "reason": lambda: _("Choose a reason."),
        "note_required": lambda: _("Write what the applicant should know or correct."),
        "due_past": lambda: _("The due date must not be in the past."),
        "full": lambda: _("The cohort is full (capacity %(n)s). Raise the capacity of the cohort "
                          "before accepting more applicants.", n=params.get("capacity")),
        "already_enrolled": lambda: _("This person is already enrolled in the cohort."),
        "not_trainee": lambda: _("This account does not hold the trainee role."),
        "empty": lambda: _("The file is empty."),
        "too_large": lambda: _("The file is too large: at most %(n)s MB.", n=params.get("limit")),
        "type": lambda: _("This file is not a PDF, JPEG or PNG document (checked by its "
                          "content, not its name). It was not attached."),
        "mismatch": lambda: _("The file's content does not match its name (%(suffix)s). Save "
                              "it in the right format and upload it again.",
                              suffix=params.get("suffix")),
        "storage": lambda: _("The file could not be stored because the server's storage is full. "
                             "Nothing was saved; try again later or tell the secretariat."),
    }
    return messages.get(code, messages["invalid"])()


def field_message(code: str) -> str:
    """The sentence for a problem with one typed value."""
    return {
        "required": lambda: _("This field is required."),
        "choice": lambda: _("Choose one of the options."),
        "furigana": lambda: _("Write the furigana in katakana."),
        "count": lambda: _("Enter a number of days, e.g. 200."),
        "future": lambda: _("This date is in the future. Enter a date up to today; for a post "
                            "you still hold, tick “current” instead of an end date."),
        "before_start": lambda: _("The end is before the start."),
        "date_empty": lambda: _("Enter a date."),
        "date_format": lambda: _("Enter a date such as 2024/4/1 or 令和6年4月1日."),
        "date_invalid": lambda: _("This date does not exist."),
        "date_era_range": lambda: _("This date is outside that era."),
    }.get(code, lambda: _("This value could not be read."))()


def field_messages(problems: dict[str, str]) -> dict[str, str]:
    return {key: field_message(code) for key, code in problems.items()}


def post_desk_labels() -> dict[str, str]:
    return {**rules.CURRENT_POSTS, "other": _("Other (not a desk of type (1))")}


def period_desk_labels() -> dict[str, str]:
    return {**rules.EXPERIENCE_DESKS, "other": _("Other desk (does not count)")}


def status_label(status: str) -> str:
    return {
        "draft": lambda: _("Draft"),
        "submitted": lambda: _("Submitted, awaiting review"),
        "returned": lambda: _("Returned for correction"),
        "accepted": lambda: _("Accepted"),
        "rejected": lambda: _("Not accepted"),
        "lapsed": lambda: _("Lapsed"),
    }.get(status, lambda: status)()


def filter_label(which: str) -> str:
    return {
        "undecided": lambda: _("Undecided"),
        "eligible": lambda: _("Eligible by rule"),
        "not_eligible": lambda: _("Not eligible by rule"),
        "evidence_missing": lambda: _("Evidence missing"),
        "returned": lambda: _("Returned"),
        "decided": lambda: _("Decided"),
        "all": lambda: _("All"),
    }[which]()
