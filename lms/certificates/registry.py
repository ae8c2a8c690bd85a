"""The registry of certified persons (認定者名簿, §7): one row per person, their current
certificate's number and status, searchable and filtered, one page at a time.

Everything is decided in the database — which certificate is current (none replaced it), its
status on the day (revoked, lapsed, renewal due, valid: ``rules.status`` as date ranges), the
count and the page — so a page reads 50 certificates however large the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import and_, exists, false, func, not_, or_, select
from sqlalchemy.orm import aliased

from lms import paging
from lms.certificates import rules
from lms.certificates.models import Certificate, Revocation

PER_PAGE = paging.PER_PAGE


@dataclass(frozen=True)
class RegistryQuery:
    q: str = ""
    status: str = ""
    prefecture: str = ""
    year: int | None = None  #: fiscal year of certification
    page: int = 1

    @classmethod
    def from_args(cls, args) -> RegistryQuery:
        return cls(q=(args.get("q") or "").strip()[:100], status=args.get("status") or "",
                   prefecture=args.get("prefecture") or "",
                   year=args.get("year", type=int), page=max(1, args.get("page", 1, type=int)))

    def as_args(self) -> dict[str, str | int]:
        """The filters for the pager's links (the page itself left out)."""
        found = {"q": self.q, "status": self.status, "prefecture": self.prefecture,
                 "year": self.year or ""}
        return {k: v for k, v in found.items() if v}


@dataclass(frozen=True)
class Row:
    cert: Certificate
    state: rules.CertificateStatus
    history: int  #: how many certificates the person holds in all


Page = paging.Page


def _status_clause(status: str, today: date):
    """The SQL condition for a current certificate's status *status* on *today*."""
    revoked = exists().where(Revocation.certificate_id == Certificate.id)
    due_through = rules.renewal_due_through(
        today, current_app.config["CERT_RENEWAL_WINDOW_MONTHS"])
    return {
        rules.CertificateStatus.REVOKED.value: revoked,
        rules.CertificateStatus.LAPSED.value: and_(not_(revoked),
                                                   Certificate.valid_until < today),
        rules.CertificateStatus.RENEWAL_DUE.value: and_(
            not_(revoked), Certificate.valid_until >= today,
            Certificate.valid_until <= due_through),
        rules.CertificateStatus.VALID.value: and_(not_(revoked),
                                                  Certificate.valid_until > due_through),
    }.get(status, false())  # a current certificate is never superseded


def _matching(query: RegistryQuery, today: date):
    newer = aliased(Certificate)
    stmt = select(Certificate).where(~exists().where(newer.supersedes_id == Certificate.id))
    if query.q:
        like = f"%{query.q}%"
        canonical = rules.parse_certificate_number(query.q)
        stmt = stmt.where(or_(Certificate.holder_name.ilike(like),
                              Certificate.holder_furigana.ilike(like),
                              Certificate.holder_organisation.ilike(like),
                              Certificate.number == (canonical or query.q)))
    if query.prefecture:
        stmt = stmt.where(Certificate.holder_prefecture == query.prefecture)
    if query.year:
        stmt = stmt.where(Certificate.certified_on >= date(query.year, 4, 1),
                          Certificate.certified_on <= date(query.year + 1, 3, 31))
    if query.status:
        stmt = stmt.where(_status_clause(query.status, today))
    return stmt


def search(query: RegistryQuery, today: date) -> paging.Page[Row]:
    """One page of the current certificates matching *query*, by certification date (newest
    first) then number; past the last page, the last page."""
    from lms.extensions import db

    stmt = _matching(query, today)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    number = paging.clamp(query.page, total, PER_PAGE)
    certs = db.session.scalars(
        stmt.order_by(Certificate.certified_on.desc(), Certificate.number)
        .offset(paging.offset(number, PER_PAGE)).limit(PER_PAGE)).all()
    counts = dict(db.session.execute(
        select(Certificate.user_id, func.count()).where(
            Certificate.user_id.in_({c.user_id for c in certs}))
        .group_by(Certificate.user_id)).all()) if certs else {}
    window = current_app.config["CERT_RENEWAL_WINDOW_MONTHS"]
    rows = [Row(c, rules.status(c.valid_until, today, revoked=c.revocation is not None,
                                window_months=window), counts.get(c.user_id, 1))
            for c in certs]
    return paging.Page(rows, total, number, PER_PAGE)
