"""The validity job (``flask lms certificates-daily``): lapse expired certificates (失効) and
send renewal reminders 6, 3 and 1 months before expiry (settings).

Cron-safe and idempotent, safe to run twice at the same moment: who is due is computed from the
dates each day (nothing is queued months ahead), every notice is claimed by inserting a unique
row first, and a lapse is one conditional UPDATE, so only one run acts on each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from lms import audit, xapi
from lms.certificates import rules, throttle
from lms.certificates.models import Certificate, CertificateNotice, Revocation
from lms.certificates.services import certificate_activity
from lms.extensions import db, rowcount
from lms.links import external_url
from lms.notify import notify
from lms.timeutil import utcnow
from lms.xapi import vocab


@dataclass
class DailyRun:
    lapsed: list[str] = field(default_factory=list)
    reminded: list[tuple[str, int]] = field(default_factory=list)


def reminder_months() -> tuple[int, ...]:
    raw = current_app.config["CERT_REMINDER_MONTHS"]
    return tuple(sorted({int(part) for part in str(raw).split(",") if part.strip()},
                        reverse=True))


def _claim(certificate_id: int, notice: str) -> bool:
    """Insert the notice row unless it exists; True only for the run that inserted it."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CertificateNotice)
    return db.session.execute(insert.values(
        certificate_id=certificate_id, notice=notice, sent_at=utcnow(),
    ).on_conflict_do_nothing().returning(CertificateNotice.id)).first() is not None


def _live(today: date):
    """Certificates neither revoked, superseded nor lapsed yet."""
    superseded = select(Certificate.supersedes_id).where(Certificate.supersedes_id.is_not(None))
    revoked = select(Revocation.certificate_id)
    return select(Certificate).where(Certificate.id.not_in(superseded),
                                     Certificate.id.not_in(revoked),
                                     Certificate.lapsed_on.is_(None))


def run(today: date) -> DailyRun:
    """Lapse what expired before *today* and send the reminders due on *today*."""
    summary = DailyRun()
    months = reminder_months()
    for cert in db.session.scalars(_live(today).order_by(Certificate.id)).all():
        if today > cert.valid_until:
            if _lapse(cert, today):
                summary.lapsed.append(cert.number)
            continue
        due = rules.reminder_due(cert.valid_until, today, months)
        if due is not None and _claim(cert.id, f"reminder-{due}"):
            _remind(cert, due)
            summary.reminded.append((cert.number, due))
    throttle.forget_old()
    db.session.flush()
    return summary


def _lapse(cert: Certificate, today: date) -> bool:
    changed = rowcount(db.session.execute(
        update(Certificate).where(Certificate.id == cert.id, Certificate.lapsed_on.is_(None))
        .values(lapsed_on=today).execution_options(synchronize_session=False)))
    if changed != 1:
        return False  # another run got there first
    db.session.refresh(cert)
    audit.record(None, "certificate.lapse", cert, {"number": cert.number,
                                                   "valid_until": cert.valid_until.isoformat()})
    holder = cert.user
    xapi.record(holder, vocab.CERTIFICATE_LAPSED, certificate_activity(cert))
    if _claim(cert.id, "lapsed"):
        notify(holder, "certificate_lapsed", link=external_url("certificates.mine"),
               number=cert.number, until=cert.valid_until)
    return True


def _remind(cert: Certificate, months: int) -> None:
    holder = cert.user
    notify(holder, "renewal_due", link=external_url("certificates.mine"), months=months,
           number=cert.number, until=cert.valid_until)
