"""The registry of certified persons (認定者名簿, §7): one row per person, their current
certificate's number and status, searchable and filtered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from lms.certificates import rules, services
from lms.certificates.models import Certificate

PER_PAGE = 50


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


@dataclass(frozen=True)
class Row:
    cert: Certificate
    state: rules.CertificateStatus
    history: int  #: how many certificates the person holds in all


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    number: int
    pages: int


def search(query: RegistryQuery, today: date) -> Page:
    """Current certificates matching *query*, by certification date then number."""
    from lms.extensions import db

    superseded = select(Certificate.supersedes_id).where(Certificate.supersedes_id.is_not(None))
    stmt = select(Certificate).where(Certificate.id.not_in(superseded))
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
    certs = db.session.scalars(stmt.order_by(Certificate.certified_on.desc(),
                                             Certificate.number)).all()
    counts: dict[int, int] = {}
    for (user_id,) in db.session.execute(select(Certificate.user_id)):
        counts[user_id] = counts.get(user_id, 0) + 1
    rows = [Row(c, services.status_of(c, today), counts[c.user_id]) for c in certs]
    if query.status:
        rows = [r for r in rows if r.state.value == query.status]
    pages = max(1, -(-len(rows) // PER_PAGE))
    number = min(query.page, pages)
    return Page(rows[(number - 1) * PER_PAGE:number * PER_PAGE], len(rows), number, pages)
