"""Pure rules for watched coverage of a lecture video. No Flask here.

A segment is a half-open interval ``(start, end)`` in seconds of media time that the player
actually played. Coverage is the length of the union of all segments over the video's duration,
so replaying a part adds nothing and seeking past a part leaves it unwatched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

Segment = tuple[float, float]

#: the fastest playback rate the player offers; coverage cannot grow faster than this
MAX_PLAYBACK_RATE = 2.0
#: slack for clock skew and a report sent just after a long segment
RATE_SLACK_SECONDS = 10.0


def clean_segments(raw: Iterable, duration: float) -> list[Segment]:
    """Return the well-formed segments of *raw* clipped to ``[0, duration]``; drop the rest."""
    cleaned = []
    for item in raw:
        try:
            start, end = float(item[0]), float(item[1])
        except (TypeError, ValueError, IndexError):
            continue
        if start != start or end != end:  # NaN
            continue
        start, end = max(0.0, start), min(float(duration), end)
        if end > start:
            cleaned.append((round(start, 3), round(end, 3)))
    return cleaned


def merge(segments: Iterable[Segment], gap: float = 0.0) -> list[Segment]:
    """Return the union of *segments* as sorted, non-overlapping segments.

    Segments closer than *gap* seconds are joined (the player samples time every ~250 ms).
    """
    merged: list[list[float]] = []
    for start, end in sorted(segments):
        if merged and start <= merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def covered_seconds(segments: Iterable[Segment]) -> float:
    return sum(end - start for start, end in merge(segments))


def coverage(segments: Iterable[Segment], duration: float) -> float:
    """Return the watched fraction 0.0–1.0 of a video of *duration* seconds."""
    if duration <= 0:
        return 0.0
    return min(1.0, covered_seconds(segments) / duration)


def plausible(segments: Iterable[Segment], watching_seconds: float,
              rate: float = MAX_PLAYBACK_RATE) -> list[Segment]:
    """Trim *segments* so that their union is no longer than real time allows.

    Nobody can have watched more media time than ``watching_seconds`` (wall-clock time since
    the module was first opened) at the fastest rate; a forged report claiming the whole video
    a moment after opening it is cut back to what was possible, earliest media time first.
    """
    budget = max(0.0, watching_seconds) * rate + RATE_SLACK_SECONDS
    return _first_seconds(merge(segments), budget)


def _first_seconds(segments: Iterable[Segment], budget: float) -> list[Segment]:
    kept: list[Segment] = []
    for start, end in segments:
        if budget <= 0:
            break
        take = min(end - start, budget)
        kept.append((start, round(start + take, 3)))
        budget -= take
    return kept


def subtract(segments: Iterable[Segment], taken: Iterable[Segment]) -> list[Segment]:
    """Return the parts of *segments* not covered by *taken* (both unions), in order."""
    result: list[Segment] = []
    cut = merge(taken)
    for start, end in merge(segments):
        pos = start
        for c_start, c_end in cut:
            if c_end <= pos or c_start >= end:
                continue
            if c_start > pos:
                result.append((pos, c_start))
            pos = max(pos, c_end)
        if pos < end:
            result.append((pos, end))
    return result


@dataclass(frozen=True)
class Credit:
    """Media seconds credited to a trainee now, and where their watch clock stands after."""

    seconds: float
    clock: datetime


def credit(gain: float, clock: datetime | None, earliest: datetime, now: datetime,
           rate: float = MAX_PLAYBACK_RATE) -> Credit:
    """Credit at most what one person can watch: *rate* media seconds per real second,
    counted across every lecture and browser tab of the trainee.

    The trainee's watch clock is the real time their credited watching has used up; it runs
    from the later of the clock and *earliest* (when the module page was opened, so idle
    days bank nothing for a page opened now) and may not pass *now* beyond the slack.
    Fourteen lectures played at 2× in parallel tabs for 25 seconds earn 50 seconds, not 700.
    """
    begin = max(clock, earliest) if clock is not None else earliest
    capacity = max(0.0, (now - begin).total_seconds() * rate + RATE_SLACK_SECONDS)
    granted = max(0.0, min(gain, capacity))
    return Credit(granted, begin + timedelta(seconds=granted / rate))


def within_credit(stored: list[Segment], merged: list[Segment], seconds: float) -> list[Segment]:
    """*stored* plus at most *seconds* of what *merged* adds to it, earliest media time first."""
    return merge(stored + _first_seconds(subtract(merged, stored), seconds))


def is_complete(segments: Iterable[Segment], duration: float, threshold: float) -> bool:
    """True when the watched coverage reaches *threshold* (e.g. 0.95)."""
    return coverage(segments, duration) + 1e-9 >= threshold


def played_segments_string(segments: Iterable[Segment]) -> str:
    """Format segments as the ADL video profile's ``played-segments`` (``0[.]5[,]10[.]20``)."""
    return "[,]".join(f"{_num(s)}[.]{_num(e)}" for s, e in segments)


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")
