"""An RFC 5545 calendar (.ics) for a booked course ② session, one event per day. No Flask here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

PRODID = "-//coordinator-lms//JA"
#: RFC 5545 §3.1: lines longer than this many octets, excluding the CRLF, must be folded
MAX_OCTETS = 75
CRLF = "\r\n"

# TEXT may not hold control characters other than HTAB (RFC 5545 §3.3.11)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma, and any newline as ``\\n``."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 UTF-8 octets joined by CRLF + space.

    A piece never ends inside a multi-byte character; the leading space of a continuation
    counts towards its 75 octets.
    """
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def _utc(value: datetime, name: str) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} is a naive datetime; pass an aware one")
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def session_calendar(uid: str, title: str, location: str, description: str,
                     days: Sequence[tuple[datetime, datetime]], now: datetime,
                     organizer_email: str | None = None) -> str:
    """Return a VCALENDAR (CRLF lines, folded) with one VEVENT per (start, end) day, in UTC.

    Raises ValueError for a naive datetime, a day that does not end after it starts, or no days
    (a calendar must hold at least one component).
    """
    if not days:
        raise ValueError("a session calendar needs at least one day")
    stamp = _utc(now, "now")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    for n, (starts_at, ends_at) in enumerate(days, start=1):
        start, end = _utc(starts_at, f"day {n} start"), _utc(ends_at, f"day {n} end")
        if ends_at <= starts_at:
            raise ValueError(f"day {n} ends at or before it starts")
        lines += ["BEGIN:VEVENT", f"UID:{uid}-{n}@coordinator-lms", f"DTSTAMP:{stamp}",
                  f"DTSTART:{start}", f"DTEND:{end}", f"SUMMARY:{escape_text(title)}",
                  f"LOCATION:{escape_text(location)}",
                  f"DESCRIPTION:{escape_text(description or '')}"]
        if organizer_email:
            lines.append(f"ORGANIZER:mailto:{organizer_email}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
