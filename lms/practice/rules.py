"""Pure rules of the practice stage (実践): answer checks, due dates, withdrawal, reminders.

No Flask, no database: callers pass dates already turned into Asia/Tokyo calendar days.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from lms.practice.formfile import Field, ReportForm

#: the reports whose absence after the due date means withdrawal (辞退扱い, §5(2)イ(エ))
WITHDRAWAL_KINDS = ("progress", "final")
#: error codes of :func:`validate_values` that only a final submission reports
FINAL_ONLY = ("required", "too_short")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_MB = 1024 * 1024


def count_chars(text: str) -> int:
    """Return the length of *text* as Japanese readers count characters (文字数).

    The text is NFC-normalised, then every character counts 1 — full-width and half-width
    alike, spaces included, a character outside the BMP (e.g. an emoji) once — except:
    line breaks (``\\r``, ``\\n``: CRLF and LF text count the same); combining marks
    (``unicodedata.combining`` ≠ 0, e.g. a dakuten left over after NFC or an accent), which
    belong to the character before them; and variation selectors (U+FE00–FE0F,
    U+E0100–E01EF), which only choose a glyph (an IVS picks the variant of 葛 in a name).
    No further grapheme rules: an emoji sequence joined by U+200D counts each emoji and
    each joiner.
    """
    return sum(1 for char in unicodedata.normalize("NFC", text)
               if char not in "\r\n" and not unicodedata.combining(char)
               and not "\ufe00" <= char <= "\ufe0f" and not "\U000e0100" <= char <= "\U000e01ef")


def validate_values(form: ReportForm, values: Mapping[str, Any], *, final: bool) -> dict[str, str]:
    """Return ``{field_id: error code}`` for every answer of *values* that *form* refuses.

    Codes: required, too_short, too_long, not_a_choice, not_a_date, not_a_number,
    below_min, above_max, bad_file_type, file_too_large, and invalid (a value of the wrong
    shape for its type, e.g. a list for a text; browsers never send one). A draft
    (``final=False``) may be incomplete, so only a final submission reports "required" and
    "too_short". An empty answer (missing, None, blank text, empty list or mapping) is
    checked for nothing else. Values: text and choice ``str``; multichoice ``list[str]``;
    date ``"YYYY-MM-DD"``; number a ``str`` or a number; file ``{"name": str, "size": int}``
    (bytes; ``max_size_mb`` counts 1 MB as 1024 × 1024 bytes). Keys of no field are ignored.
    """
    errors: dict[str, str] = {}
    for field in form.fields:
        value = values.get(field.id)
        if _is_empty(value):
            code = "required" if field.required else None
        else:
            code = _CHECKS[field.type](field, value)
        if code is not None and (final or code not in FINAL_ONLY):
            errors[field.id] = code
    return errors


def _is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or isinstance(value, list | tuple | dict) and not value


def _text(field: Field, value: Any) -> str | None:
    if not isinstance(value, str):
        return "invalid"
    length = count_chars(value)
    if field.max_length is not None and length > field.max_length:
        return "too_long"
    if field.min_length is not None and length < field.min_length:
        return "too_short"
    return None


def _choice(field: Field, value: Any) -> str | None:
    return None if isinstance(value, str) and value in field.options else "not_a_choice"


def _multichoice(field: Field, value: Any) -> str | None:
    ok = isinstance(value, list | tuple) and all(
        isinstance(item, str) and item in field.options for item in value)
    return None if ok and len(set(value)) == len(value) else "not_a_choice"


def _date(field: Field, value: Any) -> str | None:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return "not_a_date"
    try:
        date.fromisoformat(value)
    except ValueError:  # 2026-02-30
        return "not_a_date"
    return None


def _number(field: Field, value: Any) -> str | None:
    # an IME may type full-width digits (１２); NFKC makes them ASCII
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else None
    if text is not None and _NUMBER.fullmatch(text):
        number = Decimal(text)
    elif isinstance(value, int | float) and not isinstance(value, bool) \
            and math.isfinite(value):
        number = _decimal(value)
    else:
        return "not_a_number"
    if field.min is not None and number < _decimal(field.min):
        return "below_min"
    if field.max is not None and number > _decimal(field.max):
        return "above_max"
    return None


def _decimal(value: int | float) -> Decimal:
    # str() first: 0.1 is 0.1, not the binary fraction float(0.1) really is
    return Decimal(str(value))


def _file(field: Field, value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return "invalid"
    name, size = value.get("name"), value.get("size")
    if not isinstance(name, str) or not name.strip() or not isinstance(size, int) \
            or isinstance(size, bool) or size < 0:
        return "invalid"
    extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
    if extension not in field.accept:
        return "bad_file_type"
    if field.max_size_mb is not None and size > field.max_size_mb * _MB:
        return "file_too_large"
    return None


_CHECKS = {"text": _text, "choice": _choice, "multichoice": _multichoice, "date": _date,
           "number": _number, "file": _file}


def due_date(form: ReportForm, cohort_dates: Mapping[str, date],
             extension_until: date | None) -> date:
    """Return the day *form* is due: the cohort date it names plus its offset, or a later
    extension (an extension never shortens the time a trainee has)."""
    due = cohort_dates[form.deadline.date] + timedelta(days=form.deadline.offset_days)
    return extension_until if extension_until is not None and extension_until > due else due


def report_not_open(kind: str, today: date, cohort_dates: Mapping[str, date],
                    progress_submitted: bool, *, progress_on_cohort_date: bool = True,
                    final_after_progress: bool = True) -> str | None:
    """Return why report *kind* cannot be written yet on *today*, or None if it is open.

    Every form opens with the practice stage (the cohort's ``practice_start``); the progress
    report on the cohort's ``progress_report_opens`` date, and the final report once a
    progress report was submitted — each unless the deployment's settings say otherwise.
    Codes: ``stage_not_started``, ``progress_not_open``, ``progress_first``.
    """
    if today < cohort_dates["practice_start"]:
        return "stage_not_started"
    if kind == "progress" and progress_on_cohort_date and \
            today < cohort_dates["progress_report_opens"]:
        return "progress_not_open"
    if kind == "final" and final_after_progress and not progress_submitted:
        return "progress_first"
    return None


def is_late(due: date, submitted_on: date) -> bool:
    """Return whether a submission on *submitted_on* (an Asia/Tokyo date) misses *due*.

    The due day itself is still on time.
    """
    return submitted_on > due


def withdrawal_due(kind_due: Mapping[str, date], submitted_kinds: set[str],
                   today: date) -> list[str]:
    """Return the kinds among progress and final that are past due and not submitted.

    Any one of them makes the trainee withdrawn (辞退扱い, §5(2)イ(エ)). A kind missing from
    *kind_due* is not checked; the due day itself is not yet past.
    """
    return [kind for kind in WITHDRAWAL_KINDS
            if kind in kind_due and kind not in submitted_kinds and today > kind_due[kind]]


def reminder_days(due: date, today: date, schedule: Sequence[int] = (7, 1)) -> int | None:
    """Return the days left until *due* if a reminder is scheduled for today, else None."""
    days = (due - today).days
    return days if days in schedule else None


def reflection_editable(entry_date: date, today: date, editable_days: int) -> bool:
    """Return whether the reflection (振り返り) for *entry_date* may be written or edited today.

    Only past or present days, and at most *editable_days* days after the entry's date: with
    3, Monday's entry stays open until Thursday.
    """
    return entry_date <= today and (today - entry_date).days <= editable_days


def streak(dates: Iterable[date], today: date) -> int:
    """Return how many consecutive days up to today have an entry.

    A streak that ended yesterday still counts while today has no entry yet, so a trainee
    who writes in the evening does not see 0 all day.
    """
    days = set(dates)
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count
