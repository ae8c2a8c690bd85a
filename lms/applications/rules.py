"""Eligibility to enrol (§4 of the guideline) and the normalising of what applicants type.

Pure functions: no Flask, no SQLAlchemy. Dates and thresholds are passed in. Our reading of §4
(PROGRAM.md "Eligibility"): the window is [training start − 5 years, training start); each period
is clipped to it; time in post is the number of days in the *union* of the clipped periods at
qualifying desks; an ongoing period runs to the day before the training start; declared working
days (従業日数) never count for more than the days in post; the current post (§4(1)) is required
even of qualification holders.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

#: the guideline's amendment this reading follows, and our revision of the reading
GUIDELINE_DATE = "2025-02-27"
READING_REVISION = 1

#: §4(1): the current post, at a desk run by ① a local government or ② a body it commissioned
CURRENT_POSTS = {
    "1-1": "地方公共団体の相談窓口（(1)①）",
    "1-2": "地方公共団体から委託等を受けた機関の相談窓口（(1)②）",
}
#: §4(2): desks whose time in post counts as experience
EXPERIENCE_DESKS = {
    "2-1": "国の相談窓口（(2)①）",
    "2-2": "地方公共団体の相談窓口（(2)②）",
    "2-3": "国・地方公共団体から委託等を受けた機関の相談窓口（(2)③）",
    "2-4": "民間団体等の相談窓口（(2)④）",
}
#: §4 exemption: the national qualifications that replace the experience (not the current post)
QUALIFICATIONS = (
    "社会福祉士",
    "キャリアコンサルタント",
    "キャリアコンサルティング技能士1級",
    "キャリアコンサルティング技能士2級",
    "公認心理師",
    "精神保健福祉士",
)
#: declared by applicants but not exempting (the guideline names grades 1 and 2 only)
NON_EXEMPTING_QUALIFICATIONS = ("キャリアコンサルティング技能士3級",)


@dataclass(frozen=True)
class Thresholds:
    """The numbers of §4 注6 (settings): years of the window, days in post, days worked."""

    window_years: int = 5
    min_days_in_post: int = 365
    min_days_worked: int = 180

    @property
    def version(self) -> str:
        """The rules version stored with every verdict: guideline, our revision, thresholds."""
        return (f"eligibility/{GUIDELINE_DATE}/r{READING_REVISION}/"
                f"{self.window_years}y-{self.min_days_in_post}-{self.min_days_worked}")


@dataclass(frozen=True)
class Period:
    """A period in post at a consultation desk; ``end`` None means ongoing (現在に至る)."""

    desk: str
    start: date
    end: date | None
    days_worked: int


@dataclass(frozen=True)
class Facts:
    """What an applicant declares, as the rule needs it."""

    training_start: date
    current_post: str | None
    periods: tuple[Period, ...] = ()
    qualifications: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """The rule's answer: eligible or not, the figures, and the reasons in Japanese."""

    eligible: bool
    days_in_post: int
    days_worked: int
    reasons: tuple[str, ...]
    rules_version: str
    exempt_by: str | None = None
    window: tuple[date, date] = field(default=(date.min, date.min))

    def as_dict(self) -> dict:
        return {"eligible": self.eligible, "days_in_post": self.days_in_post,
                "days_worked": self.days_worked, "reasons": list(self.reasons)}


def years_before(day: date, years: int) -> date:
    """The same calendar date *years* earlier; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 3, 1)


def window(training_start: date, years: int = 5) -> tuple[date, date]:
    """The experience window as inclusive dates: [start − years, start − 1 day]."""
    return years_before(training_start, years), training_start - timedelta(days=1)


def clip(period: Period, first: date, last: date) -> tuple[date, date] | None:
    """The part of *period* inside [first, last] (inclusive), or None if nothing is."""
    start = max(period.start, first)
    end = min(period.end or last, last)
    return (start, end) if start <= end else None


def union_days(spans: list[tuple[date, date]]) -> int:
    """The number of days covered by inclusive *spans*; overlapping days count once."""
    total = 0
    current: tuple[date, date] | None = None
    for start, end in sorted(spans):
        if current and start <= current[1] + timedelta(days=1):
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += (current[1] - current[0]).days + 1
        current = (start, end)
    if current:
        total += (current[1] - current[0]).days + 1
    return total


def eligibility(facts: Facts, thresholds: Thresholds = Thresholds()) -> Verdict:
    """Decide §4 eligibility for *facts* and say why, in Japanese."""
    first, last = window(facts.training_start, thresholds.window_years)
    reasons: list[str] = []

    post = CURRENT_POSTS.get(facts.current_post or "")
    post_ok = post is not None
    if post_ok:
        reasons.append(f"現在の職：{post}")
    else:
        reasons.append("現在の職が地方公共団体の相談窓口（(1)①）またはその委託等を受けた機関の"
                       "相談窓口（(1)②）ではありません（資格による免除の対象外の要件です）")

    spans: list[tuple[date, date]] = []
    worked = 0
    for period in facts.periods:
        if period.desk not in EXPERIENCE_DESKS:
            reasons.append(f"{period.start.isoformat()}からの期間は対象となる相談窓口"
                           "（(2)①〜④）ではないため算入しません")
            continue
        span = clip(period, first, last)
        if span is None:
            reasons.append(f"{period.start.isoformat()}からの期間は対象期間"
                           f"（{first.isoformat()}〜{last.isoformat()}）の外にあるため算入しません")
            continue
        spans.append(span)
        length = (span[1] - span[0]).days + 1
        declared = max(period.days_worked, 0)
        if declared > length:
            reasons.append(f"{span[0].isoformat()}からの期間の従事日数 {declared}日は在職日数 "
                           f"{length}日を超えるため、{length}日として計算しました")
        worked += min(declared, length)
    in_post = union_days(spans)
    if worked > in_post:
        reasons.append(f"従事日数の合計 {worked}日は在職期間 {in_post}日を超えるため、"
                       f"{in_post}日として計算しました")
        worked = in_post

    exempt_by = next((q for q in facts.qualifications if q in QUALIFICATIONS), None)
    for name in facts.qualifications:
        if name in NON_EXEMPTING_QUALIFICATIONS:
            reasons.append(f"{name}は実務経験の免除の対象ではありません（1級・2級のみ）")
        elif name not in QUALIFICATIONS:
            reasons.append(f"{name}は実務経験の免除の対象となる資格ではありません")

    if exempt_by:
        experience_ok = True
        reasons.append(f"{exempt_by}の資格により、実務経験の要件は免除されます")
    else:
        post_days_ok = in_post >= thresholds.min_days_in_post
        worked_ok = worked >= thresholds.min_days_worked
        need = "以上が必要"
        have = "以上を満たす"
        reasons.append(f"在職期間 {in_post}日（{thresholds.min_days_in_post}日"
                       f"{have if post_days_ok else need}）")
        reasons.append(f"従事日数 {worked}日（{thresholds.min_days_worked}日"
                       f"{have if worked_ok else need}）")
        experience_ok = post_days_ok and worked_ok
    return Verdict(eligible=post_ok and experience_ok, days_in_post=in_post, days_worked=worked,
                   reasons=tuple(reasons), rules_version=thresholds.version,
                   exempt_by=exempt_by, window=(first, last))


# --- what applicants type ------------------------------------------------------------------

#: era name → (first day of the era, last day or None, Gregorian year of the era's year 1)
ERAS = {
    "令和": (date(2019, 5, 1), None),
    "平成": (date(1989, 1, 8), date(2019, 4, 30)),
    "昭和": (date(1926, 12, 25), date(1989, 1, 7)),
}
ERA_INITIALS = {"R": "令和", "H": "平成", "S": "昭和"}

_WESTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_ERA = re.compile(r"^(令和|平成|昭和|[RHS])\.?(元|\d{1,2})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$")


class DateProblem(ValueError):
    """Typed text that is not a date we can read; ``code`` says why (for the message)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_date(text: str) -> date:
    """Read a date typed as 2024-04-01, 2024/4/1, 2024年4月1日, 令和6年4月1日, R6.4.1 or
    平成31年4月30日 (元年 for year 1; full-width digits and spaces accepted).

    Raises DateProblem("empty" | "format" | "invalid" | "era_range").
    """
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if not cleaned:
        raise DateProblem("empty")
    match = _WESTERN.match(cleaned)
    if match:
        return _make(int(match[1]), int(match[2]), int(match[3]))
    match = _ERA.match(cleaned.upper() if cleaned[:1].isascii() else cleaned)
    if not match:
        raise DateProblem("format")
    era = ERA_INITIALS.get(match[1], match[1])
    era_year = 1 if match[2] == "元" else int(match[2])
    if era_year < 1:
        raise DateProblem("invalid")
    first, last = ERAS[era]
    result = _make(first.year + era_year - 1, int(match[3]), int(match[4]))
    if result < first or (last and result > last):
        raise DateProblem("era_range")
    return result


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateProblem("invalid") from exc


_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_KATAKANA_ONLY = re.compile(r"^[\u30a1-\u30fa\u30fc\u30fb\u3000]+$")


def normalise_furigana(text: str, hiragana_to_katakana: bool = True) -> str:
    """Full-width katakana with single full-width spaces: half-width kana widened (NFKC),
    hiragana turned into katakana when asked, spaces between family and given name kept."""
    text = unicodedata.normalize("NFKC", text or "")
    if hiragana_to_katakana:
        text = _HIRAGANA.sub(lambda m: chr(ord(m[0]) + 0x60), text)
    return "\u3000".join(text.split())


def is_katakana(text: str) -> bool:
    """True when *text* (normalised) is only full-width katakana, ー, ・ and full-width spaces."""
    return bool(_KATAKANA_ONLY.match(text))


def normalise_count(text: str) -> int:
    """Read a whole number typed with full-width or ASCII digits and optional 日 / commas."""
    cleaned = re.sub(r"[\s,日]", "", unicodedata.normalize("NFKC", str(text)))
    if not cleaned.isdigit():
        raise ValueError(text)
    return int(cleaned)
