"""Certificates in the office's pages: the registry as an exportable table, and the programme
view's certifications per fiscal year and renewals due (lms.exports, lms.office)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import extract, func, select
from sqlalchemy.orm import aliased, selectinload

from lms.certificates import rules
from lms.certificates.models import Certificate, IssueKind, Revocation
from lms.certificates.services import status_of
from lms.certificates.views import certificate_status
from lms.exports import Column, ExportTable, register
from lms.extensions import db
from lms.i18n import N_
from lms.office.programme import Section, register_section
from lms.timeutil import today_tokyo

KINDS = {IssueKind.FIRST: N_("First issue"), IssueKind.REISSUE: N_("Reissue"),
         IssueKind.RENEWAL: N_("Renewal")}


def _rows(params: Mapping[str, str]):
    today = today_tokyo()
    query = (select(Certificate).options(selectinload(Certificate.revocation),
                                         selectinload(Certificate.superseded_by))
             .order_by(Certificate.fiscal_year.desc(), Certificate.serial.desc()))
    for cert in db.session.scalars(query.execution_options(yield_per=500)):
        state = status_of(cert, today)
        yield (cert.number, cert.holder_name, cert.holder_furigana, cert.holder_organisation,
               cert.holder_prefecture, _(KINDS[cert.kind]), cert.certified_on, cert.valid_until,
               cert.issued_on, certificate_status(state),
               cert.revocation.revoked_on if cert.revocation else None)


register(ExportTable("registry", N_("Registry of certified persons"), (
    Column("number", N_("Certificate number")), Column("name", N_("Name")),
    Column("furigana", N_("Name in kana (furigana)")), Column("organisation", N_("Organisation")),
    Column("prefecture", N_("Prefecture")), Column("kind", N_("Issue")),
    Column("certified_on", N_("Certified on")), Column("valid_until", N_("Valid until")),
    Column("issued_on", N_("Issued on")), Column("status", N_("Status")),
    Column("revoked_on", N_("Revoked on"))), _rows))


def _by_month(column, *where) -> list[tuple[int, int, int]]:
    """(year, month, certificates) per month of the date *column*, for certificates *where*."""
    year, month = extract("year", column), extract("month", column)
    return list(db.session.execute(
        select(year, month, func.count()).where(*where).group_by(year, month)))


@register_section
def certifications_per_fiscal_year() -> Section | None:
    counts: Counter[int] = Counter()
    for year, month, n in _by_month(Certificate.certified_on,
                                    Certificate.kind == IssueKind.FIRST):
        counts[rules.fiscal_year(date(int(year), int(month), 1))] += n
    if not counts:
        return None
    rows = [(_("FY%(year)s", year=year), n) for year, n in sorted(counts.items())]
    return Section(_("Certifications per fiscal year"), rows,
                   [_("Fiscal year"), _("Certified")], rows)


def _month_ahead(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


@register_section
def renewals_due() -> Section | None:
    """Current certificates whose validity ends within the next 6 months, by month."""
    today = today_tokyo()
    horizon = _month_ahead(today, 7)
    successor = aliased(Certificate)
    counts = {f"{int(year)}-{int(month):02d}": n for year, month, n in _by_month(
        Certificate.valid_until, Certificate.valid_until >= today,
        Certificate.valid_until < horizon,
        ~select(Revocation.id).where(Revocation.certificate_id == Certificate.id).exists(),
        ~select(successor.id).where(successor.supersedes_id == Certificate.id).exists())}
    rows = [(month, counts.get(month, 0)) for month in
            (f"{d.year}-{d.month:02d}" for d in (_month_ahead(today, n) for n in range(7)))]
    return Section(_("Renewals due in the next 6 months (validity ending, by month)"), rows,
                   [_("Month"), _("Certificates")], rows)
