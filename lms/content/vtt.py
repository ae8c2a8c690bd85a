"""WebVTT captions: the cues of a caption file, strictly parsed. No Flask.

Strict where browsers are: a file they would not show (no ``WEBVTT`` header, a timing they
cannot read, a cue that ends before it starts) is an error naming its line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    """One caption cue: seconds from the start of the video, and its plain text."""

    start: float
    end: float
    text: str


class VttError(ValueError):
    """A WebVTT file that browsers would not play as intended, at a 1-based line."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


_TS = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"(?P<start>{_TS})[ \t]+-->[ \t]+(?P<end>{_TS})(?:[ \t].*)?")
_LOOKS_LIKE_TIMING = re.compile(r"\s*\d+:\d")
_SKIPPED_BLOCK = re.compile(r"(NOTE|STYLE|REGION)(?:[ \t]|$)")
_TAG = re.compile(r"<[^>]*>")


def parse_vtt(text: str) -> list[Cue]:
    """Return the cues of a WebVTT file; raise :class:`VttError` (a ValueError) naming the line.

    Hours are optional (``00:05.000``), settings after the timing are ignored, NOTE/STYLE/
    REGION blocks are skipped, and tags such as ``<v Speaker>`` are stripped from the text.
    """
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    if not re.match(r"WEBVTT(?:[ \t]|$)", lines[0]):
        raise VttError(1, "missing 'WEBVTT' header")
    count, i = len(lines), 1
    while i < count and lines[i].strip() and "-->" not in lines[i]:
        i += 1  # header lines run up to the first blank line
    cues: list[Cue] = []
    while i < count:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if "-->" not in line:
            if _SKIPPED_BLOCK.match(line):
                while i < count and lines[i].strip():
                    i += 1
                continue
            if i + 1 < count and "-->" in lines[i + 1]:
                i += 1  # ``line`` was the cue's identifier
            else:
                # a timing without '-->' usually has a typo in the arrow: point at it
                bad = i + 1 if i + 1 < count and lines[i + 1].strip() else i
                bad = i if _LOOKS_LIKE_TIMING.match(line) else bad
                raise VttError(bad + 1, _timing_complaint(lines[bad]))
        start, end = _timing(lines[i], i + 1)
        i += 1
        payload = []
        # a line with '-->' starts the next cue even without a blank line, as in browsers
        while i < count and lines[i].strip() and "-->" not in lines[i]:
            payload.append(html.unescape(_TAG.sub("", lines[i])).strip())
            i += 1
        cues.append(Cue(start, end, "\n".join(payload)))
    return cues


def _timing_complaint(line: str) -> str:
    if _LOOKS_LIKE_TIMING.match(line):
        return f"bad cue timing '{line.strip()}'"
    return f"expected a cue timing 'start --> end', got '{line.strip()}'"


def _timing(line: str, number: int) -> tuple[float, float]:
    match = _TIMING.fullmatch(line.strip())
    if match is None:
        raise VttError(number, _timing_complaint(line))
    start, end = _seconds(match["start"]), _seconds(match["end"])
    if end <= start:
        raise VttError(number, f"cue end {match['end']} is not after its start {match['start']}")
    return start, end


def _seconds(stamp: str) -> float:
    hours, minutes, seconds, millis = re.fullmatch(_TS, stamp).groups()  # type: ignore[union-attr]
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000
