"""Pure rules about a cohort's stage dates. No Flask here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

#: the stage dates of a cohort, in the order the programme runs them
DATE_FIELDS = (
    "training_start",
    "course1_start",
    "course1_end",
    "practice_start",
    "progress_report_opens",
    "progress_report_due",
    "final_report_due",
    "practice_end",
    "course2_start",
    "course2_end",
)

#: (earlier, later) pairs that must not be reversed; equal dates are allowed
ORDER = (
    ("training_start", "course1_start"),
    ("course1_start", "course1_end"),
    ("course1_end", "practice_start"),
    ("practice_start", "progress_report_opens"),
    ("progress_report_opens", "progress_report_due"),
    ("progress_report_due", "final_report_due"),
    ("practice_start", "practice_end"),
    ("final_report_due", "course2_start"),
    ("practice_end", "course2_start"),
    ("course2_start", "course2_end"),
)


#: the application window (受講申込の受付期間): both dates or neither, opening first, closing no
#: later than the training start
WINDOW_FIELDS = ("applications_open", "applications_close")


def window_problems(dates: Mapping[str, date | None]) -> list[tuple[str, str]]:
    """Return the (earlier, later) pairs the application window breaks; a lone date pairs with
    its missing partner."""
    opens, closes = dates.get("applications_open"), dates.get("applications_close")
    if opens is None and closes is None:
        return []
    if opens is None or closes is None:
        return [WINDOW_FIELDS]
    pairs = [WINDOW_FIELDS] if opens > closes else []
    start = dates.get("training_start")
    if start and closes > start:
        pairs.append(("applications_close", "training_start"))
    return pairs


@dataclass(frozen=True)
class Stage:
    key: str
    start: date
    end: date


def date_order_problems(dates: dict[str, date]) -> list[tuple[str, str]]:
    """Return each (earlier, later) pair of stage dates that is out of order."""
    return [(a, b) for a, b in ORDER if dates.get(a) and dates.get(b) and dates[a] > dates[b]]


def stages(dates: dict[str, date]) -> list[Stage]:
    """Return the programme's stages with their date windows, in order."""
    return [
        Stage("course1", dates["course1_start"], dates["course1_end"]),
        Stage("practice", dates["practice_start"], dates["practice_end"]),
        Stage("course2", dates["course2_start"], dates["course2_end"]),
    ]


def current_stage(dates: dict[str, date], today: date) -> str:
    """Return the key of the stage whose window holds *today*, or before/between/after."""
    windows = stages(dates)
    if today < windows[0].start:
        return "before"
    for stage in windows:
        if stage.start <= today <= stage.end:
            return stage.key
    if today > windows[-1].end:
        return "after"
    return "between"


def window_progress(start: date, end: date, today: date) -> int:
    """Return how far *today* is through [start, end] as a whole percentage, clamped 0–100."""
    if today <= start:
        return 0
    if today >= end:
        return 100
    return round(100 * (today - start).days / max((end - start).days, 1))
