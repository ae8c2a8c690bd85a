"""Pure rules of the certificate (認定証, §6(3)–(4)): validity, renewal, status, era dates and
certificate numbers. No Flask, no SQLAlchemy: dates are passed in.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

#: the version of the guideline these rules implement (実施要綱, amended 2025-02-27)
RULE_VERSION = "2025-02-27"

#: §6(4): the validity period, in years, from 31 March of the certification's fiscal year
VALIDITY_YEARS = 3


class CertificateStatus(enum.StrEnum):
    VALID = "valid"  #: 有効
    RENEWAL_DUE = "renewal_due"  #: 更新期間中 (the renewal window is open)
    LAPSED = "lapsed"  #: 失効 (the period ended without renewal)
    REVOKED = "revoked"  #: 取消
    SUPERSEDED = "superseded"  #: 再交付・更新済み (a newer certificate replaced this one)


def fiscal_year(day: date) -> int:
    """The Japanese fiscal year (April–March) containing *day*: 2025-03-28 → 2024."""
    return day.year if day.month >= 4 else day.year - 1


def add_years(day: date, years: int) -> date:
    """*day* moved by *years*; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """*day* moved by *months* (negative: back); the day is clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def valid_until(certified_on: date, years: int = VALIDITY_YEARS) -> date:
    """§6(4): 31 March of the fiscal year containing *certified_on*, plus *years*.

    2025-03-28 (FY2024, whose 31 March is 2025-03-31) → 2028-03-31; 2025-04-01 → 2029-03-31.
    """
    return date(fiscal_year(certified_on) + 1 + years, 3, 31)


@dataclass(frozen=True)
class Renewal:
    """The answer to a renewal: the new end of validity, or None and why not."""

    valid_until: date | None
    reason: str = ""


def renewal(old_valid_until: date, renewed_on: date, years: int = VALIDITY_YEARS) -> Renewal:
    """A renewal completed on *renewed_on* runs *years* from the old expiry (renewing early loses
    nothing); completed after the expiry it is refused: the certification has lapsed and a new
    certification is needed. The expiry day itself is still within the period.
    """
    if renewed_on > old_valid_until:
        return Renewal(None, f"the certification lapsed after {old_valid_until.isoformat()}; "
                             "renewal is no longer possible and a new certification is needed")
    return Renewal(add_years(old_valid_until, years))


def renewal_window_opens(valid_until_on: date, months: int) -> date:
    """The first day of the renewal window, *months* before the expiry."""
    return add_months(valid_until_on, -months)


def renewal_due_through(today: date, months: int) -> date:
    """The latest expiry whose renewal window is open on *today*: a certificate neither
    revoked nor replaced is due for renewal when ``today <= valid_until <= this`` (what
    ``status`` decides one by one, as one range a query can filter on)."""
    bound = add_months(today, months)
    # add_months clamps to the month's end, so a few later days may still open by today
    while renewal_window_opens(bound + timedelta(days=1), months) <= today:
        bound += timedelta(days=1)
    return bound


def status(valid_until_on: date, today: date, *, revoked: bool = False,
           superseded: bool = False, window_months: int = 6) -> CertificateStatus:
    """The certificate's status on *today*; revocation and supersession come first."""
    if revoked:
        return CertificateStatus.REVOKED
    if superseded:
        return CertificateStatus.SUPERSEDED
    if today > valid_until_on:
        return CertificateStatus.LAPSED
    if today >= renewal_window_opens(valid_until_on, window_months):
        return CertificateStatus.RENEWAL_DUE
    return CertificateStatus.VALID


def reminder_due(valid_until_on: date, today: date, months: tuple[int, ...]) -> int | None:
    """Which reminder (months before expiry) is due on *today*, or None.

    The latest milestone reached is due, so a job that missed days sends one current reminder,
    not every stale one; the caller records each one sent so that it goes out once.
    """
    if today > valid_until_on:
        return None
    reached = [m for m in months if today >= add_months(valid_until_on, -m)]
    return min(reached) if reached else None


# -- 和暦 ------------------------------------------------------------------------------------

#: (first day, name): the eras a living holder's dates can fall in, newest first
ERAS = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
)


def japanese_date(day: date) -> str:
    """*day* in the Japanese era, as on official documents: 令和7年3月28日, 令和元年5月1日.

    No zero padding; the era changes on its first day (2019-04-30 is 平成31年, 2019-05-01 令和元年).
    """
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            label = "元" if year == 1 else str(year)
            return f"{name}{label}年{day.month}月{day.day}日"
    raise ValueError(f"no era for {day.isoformat()}")


# -- certificate numbers ---------------------------------------------------------------------
#
# Scheme: ``FFFF-SSSS-C`` — FFFF the fiscal year of issue, SSSS the serial within that fiscal
# year (from 0001, sequential), C a Luhn (mod 10) check digit over the eight digits FFFFSSSS.
# Luhn catches every single mistyped digit and almost every swap of two adjacent digits.
# Example: fiscal year 2025, serial 1 → "2025-0001-3".


def luhn_digit(digits: str) -> int:
    """The Luhn check digit for the decimal string *digits*."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2 == 0:  # doubled: the rightmost digit before the check digit, then every other
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return (10 - total % 10) % 10


def certificate_number(year: int, serial: int) -> str:
    """The certificate number for *serial* within fiscal *year*."""
    if not (1 <= serial <= 9999 and 1000 <= year <= 9999):
        raise ValueError("serial must be 1–9999 and the year four digits")
    body = f"{year:04d}{serial:04d}"
    return f"{year:04d}-{serial:04d}-{luhn_digit(body)}"


def parse_certificate_number(typed: str) -> str | None:
    """The canonical number for what someone typed (full-width digits, spaces or dashes of any
    kind), or None when it is malformed or its check digit is wrong."""
    digits = "".join(c for c in unicodedata.normalize("NFKC", typed) if c.isdigit())
    if len(digits) != 9 or not digits.isascii():
        return None
    if luhn_digit(digits[:8]) != int(digits[8]):
        return None
    return f"{digits[:4]}-{digits[4:8]}-{digits[8]}"


def family_name_matches(typed: str, full_name: str) -> bool:
    """Whether *typed* is the family name of *full_name* (its first word; NFKC, spaces ignored).

    Japanese names are written family name first; for a name written without a space, at least
    two leading characters must match.
    """
    typed_n = "".join(unicodedata.normalize("NFKC", typed).split()).casefold()
    if not typed_n:
        return False
    name_n = unicodedata.normalize("NFKC", full_name).replace("\u3000", " ").strip().casefold()
    parts = name_n.split()
    if len(parts) > 1:
        return typed_n == parts[0]
    return len(typed_n) >= 2 and name_n.startswith(typed_n)
