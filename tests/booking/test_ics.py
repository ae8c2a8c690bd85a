"""The .ics calendar for a booked session: fields, UTC times, escaping and octet folding."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from lms.booking.ics import escape_text, fold, session_calendar

JST = timezone(timedelta(hours=9))
NOW = datetime(2025, 6, 1, 12, 34, 56, tzinfo=JST)
DAYS = [(datetime(2025, 6, 10, 9, 30, tzinfo=JST), datetime(2025, 6, 10, 17, 0, tzinfo=JST)),
        (datetime(2025, 6, 11, 0, 30, tzinfo=UTC), datetime(2025, 6, 11, 8, 0, tzinfo=UTC))]


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars)
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(char)
    return "".join(out)


def events(lines: list[str]) -> list[dict[str, str]]:
    found, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return found


def calendar(**overrides) -> str:
    args = dict(uid="session-3-user-abc", title="養成課程② 東京会場", location="東京都新宿区 1-2-3",
                description="受付は9時から", days=DAYS, now=NOW)
    args.update(overrides)
    return session_calendar(**args)


def test_calendar_properties_and_crlf():
    text = calendar()
    lines = unfold(text)
    assert lines[:5] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//coordinator-lms//JA",
                         "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    assert lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2


def test_one_event_per_day_in_utc():
    first, second = events(unfold(calendar()))
    assert first["UID"] == "session-3-user-abc-1@coordinator-lms"
    assert second["UID"] == "session-3-user-abc-2@coordinator-lms"
    assert first["DTSTAMP"] == second["DTSTAMP"] == "20250601T033456Z"
    assert (first["DTSTART"], first["DTEND"]) == ("20250610T003000Z", "20250610T080000Z")
    assert (second["DTSTART"], second["DTEND"]) == ("20250611T003000Z", "20250611T080000Z")
    assert unescape(first["SUMMARY"]) == "養成課程② 東京会場"
    assert unescape(first["LOCATION"]) == "東京都新宿区 1-2-3"
    assert unescape(first["DESCRIPTION"]) == "受付は9時から"
    assert "ORGANIZER" not in first


def test_organizer_when_given():
    (event, _) = events(unfold(calendar(organizer_email="office@example.jp")))
    assert event["ORGANIZER"] == "mailto:office@example.jp"


def test_escaping_round_trips():
    nasty = "a\\b; c, d\ne\r\nf\rg"
    assert escape_text(nasty) == "a\\\\b\\; c\\, d\\ne\\nf\\ng"
    (event, _) = events(unfold(calendar(description=nasty, title="x;y,z")))
    assert event["SUMMARY"] == "x\\;y\\,z"
    assert unescape(event["DESCRIPTION"]) == "a\\b; c, d\ne\nf\ng"


def test_japanese_folding_stays_within_75_octets_and_reassembles():
    description = "会場へのアクセス：最寄り駅から徒歩５分、受付は２階です。\n" * 12 + "終わり"
    text = calendar(description=description, location="東京都千代田区" * 20)
    for physical in text.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
        physical.encode("utf-8").decode("utf-8")  # no character was split
    (event, _) = events(unfold(text))
    assert unescape(event["DESCRIPTION"]) == description
    assert unescape(event["LOCATION"]) == "東京都千代田区" * 20


@pytest.mark.parametrize("line", ["", "A" * 75, "A" * 76, "A" * 300, "あ" * 25, "あ" * 26,
                                  "A" + "あ" * 60, "AB" + "🙂" * 40])
def test_fold_edges(line):
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line
    if len(line.encode("utf-8")) <= 75:
        assert folded == line
    else:
        # every piece but the last is filled as far as whole characters allow
        assert all(len(p.encode("utf-8")) > 75 - 4 for p in pieces[:-1])


def test_naive_datetimes_are_refused():
    naive = datetime(2025, 6, 10, 9, 30)
    with pytest.raises(ValueError, match="naive"):
        calendar(now=naive)
    with pytest.raises(ValueError, match="naive"):
        calendar(days=[(naive, DAYS[0][1])])
    with pytest.raises(ValueError, match="naive"):
        calendar(days=[(DAYS[0][0], naive)])


def test_empty_and_backwards_days_are_refused():
    with pytest.raises(ValueError):
        calendar(days=[])
    with pytest.raises(ValueError, match="ends"):
        calendar(days=[(DAYS[0][1], DAYS[0][0])])
