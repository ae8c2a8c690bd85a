"""Cell rules for exports: what a spreadsheet must never read as a formula. No Flask here."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

#: a text cell starting with one of these could be run as a formula by a spreadsheet
#: (half- and full-width: Excel and LibreOffice normalise full-width signs)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

#: keys of special-care data (要配慮個人情報: the disqualification declaration); a table
#: with such a column is refused at registration
SPECIAL_CARE_KEYS = ("disqualif", "declaration", "欠格")


def guard_text(text: str) -> str:
    """Return *text* so that no spreadsheet runs it: a leading quote before a formula start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def is_special_care(key: str) -> bool:
    lowered = key.lower()
    return any(mark in lowered for mark in SPECIAL_CARE_KEYS)


def csv_cell(value, tz: ZoneInfo) -> str:
    """One value as CSV text: numbers as numbers, dates ISO, times in *tz*, text guarded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return guard_text(str(value))


def xlsx_value(value, tz: ZoneInfo):
    """One value for an XLSX cell: (value, kind) with kind ``s`` (text), ``n``, ``d`` or None."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return int(value), "n"
    if isinstance(value, int | float):
        return value, "n"
    if isinstance(value, datetime):
        # Excel has no time zones: the Tokyo wall-clock time, as the pages show it
        return value.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0), "d"
    if isinstance(value, date):
        return value, "d"
    return guard_text(str(value)), "s"
