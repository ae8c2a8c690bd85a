"""Pure rules for watched coverage of a lecture video. No Flask here.

A segment is a half-open interval ``(start, end)`` in seconds of media time that the player
actually played. Coverage is the length of the union of all segments over the video's duration,
so replaying a part adds nothing and seeking past a part leaves it unwatched.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def plausible(segments: Iterable[Segment], watching_seconds: float) -> list[Segment]:
    """Trim *segments* so that their union is no longer than real time allows.

    Nobody can have watched more media time than ``watching_seconds`` (wall-clock time since
    the module was first opened) at the fastest rate; a forged report claiming the whole video
    a moment after opening it is cut back to what was possible, earliest media time first.
    """
    budget = max(0.0, watching_seconds) * MAX_PLAYBACK_RATE + RATE_SLACK_SECONDS
    kept: list[Segment] = []
    for start, end in merge(segments):
        if budget <= 0:
            break
        take = min(end - start, budget)
        kept.append((start, round(start + take, 3)))
        budget -= take
    return kept


def is_complete(segments: Iterable[Segment], duration: float, threshold: float) -> bool:
    """True when the watched coverage reaches *threshold* (e.g. 0.95)."""
    return coverage(segments, duration) + 1e-9 >= threshold


def played_segments_string(segments: Iterable[Segment]) -> str:
    """Format segments as the ADL video profile's ``played-segments`` (``0[.]5[,]10[.]20``)."""
    return "[,]".join(f"{_num(s)}[.]{_num(e)}" for s, e in segments)


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")
