"""Messages for practice-stage errors, in the trainee's language."""

from __future__ import annotations

from flask_babel import gettext as _

ERRORS = {
    "goal_first": lambda: _("Submit your goal sheet first; the other reports open after it."),
    "already_submitted": lambda: _("This report has been submitted and cannot be changed now."),
    "invalid": lambda: _("Some answers need attention. Check the highlighted fields."),
    "late": lambda: _("The due date has passed, so this cannot be submitted. Contact the "
                      "secretariat if you need an extension."),
    "confirm": lambda: _("Tick the confirmation box to submit."),
    "stage_not_started": lambda: _("The practice stage has not started yet; the forms open "
                                   "on its first day."),
    "progress_not_open": lambda: _("The progress report opens on the date your cohort set "
                                   "for it."),
    "progress_first": lambda: _("Submit your progress report first; the final report opens "
                                "after it."),
    "not_editable": lambda: _("This day's reflection can no longer be written or edited."),
    "storage": lambda: _("The file could not be stored because the server's storage is full. "
                         "Nothing was saved; try again later or tell the secretariat."),
}


def field_message(field, code: str) -> str:
    """The sentence for one error code from the rules, for *field*."""
    if code == "required":
        return _("This field is required.")
    if code == "too_short":
        return _("Write at least %(n)s characters.", n=field.min_length)
    if code == "too_long":
        return _("Write at most %(n)s characters.", n=field.max_length)
    if code == "not_a_choice":
        return _("Choose one of the options.")
    if code == "not_a_date":
        return _("Enter a date (YYYY-MM-DD).")
    if code == "not_a_number":
        return _("Enter a number.")
    if code == "below_min":
        return _("Enter %(n)s or more.", n=field.min)
    if code == "above_max":
        return _("Enter %(n)s or less.", n=field.max)
    if code == "bad_file_type":
        return _("This type of file is not accepted.")
    if code == "file_too_large":
        return _("The file is too large.")
    return _("This answer could not be read. Please enter it again.")


def field_errors(form, codes: dict[str, str]) -> dict[str, str]:
    """Turn error codes from the rules into a sentence for each field."""
    fields = {f.id: f for f in form.fields}
    return {fid: field_message(fields[fid], code) for fid, code in codes.items() if fid in fields}
