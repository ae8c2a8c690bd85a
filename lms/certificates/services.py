"""Issue, reissue, renew and revoke certificates; what the registry and verification read.

Services flush; the caller (view or CLI) commits once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import event, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lms import audit, xapi
from lms.auth.models import User
from lms.certificates import pdf, rules
from lms.certificates.models import (
    IMMUTABLE,
    Certificate,
    CertificateSerial,
    HolderProfile,
    IssueKind,
    Revocation,
    RevocationGround,
)
from lms.certification import registry as certification_registry
from lms.certification.models import CertificationDecision, Outcome
from lms.cohorts.models import Enrolment
from lms.credentials import services as credentials
from lms.errors import UserError
from lms.extensions import db
from lms.links import external_url
from lms.notify import notify
from lms.timeutil import utcnow
from lms.xapi import vocab


class CertificateError(UserError, ValueError):
    """A certificate action that the rules refuse; ``code`` names why."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code, self.detail = code, detail


@event.listens_for(Certificate, "before_update")
def _issue_record_is_immutable(mapper, connection, target: Certificate) -> None:
    state = inspect(target)
    changed = [name for name in IMMUTABLE if state.attrs[name].history.has_changes()]
    if changed:
        raise CertificateError("immutable", ", ".join(changed))


# -- reading ----------------------------------------------------------------------------------

def status_of(cert: Certificate, today: date) -> rules.CertificateStatus:
    """The certificate's status on *today* (revoked, superseded, lapsed, renewal due, valid)."""
    return rules.status(cert.valid_until, today, revoked=cert.revocation is not None,
                        superseded=cert.superseded_by is not None,
                        window_months=current_app.config["CERT_RENEWAL_WINDOW_MONTHS"])


def certificates_of(user_id: int) -> list[Certificate]:
    """Every certificate of a person, newest first."""
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)
                                   .order_by(Certificate.issued_at.desc(),
                                             Certificate.id.desc())))


def current_certificate(user_id: int) -> Certificate | None:
    """The person's newest certificate that nothing superseded (revoked or lapsed included)."""
    superseded = select(Certificate.supersedes_id).where(Certificate.supersedes_id.is_not(None))
    return db.session.scalar(
        select(Certificate).where(Certificate.user_id == user_id,
                                  Certificate.id.not_in(superseded))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc()).limit(1))


def renewal_due(user_ids: list[int], today: date) -> set[int]:
    """Those of *user_ids* whose current certificate is in its renewal window on *today*
    (two queries for any number of people: the certificates, then their revocations)."""
    if not user_ids:
        return set()
    superseded = select(Certificate.supersedes_id).where(Certificate.supersedes_id.is_not(None))
    current: dict[int, Certificate] = {}
    for cert in db.session.scalars(
            select(Certificate).where(Certificate.user_id.in_(user_ids),
                                      Certificate.id.not_in(superseded))
            .options(selectinload(Certificate.revocation))
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())):
        current.setdefault(cert.user_id, cert)
    window = current_app.config["CERT_RENEWAL_WINDOW_MONTHS"]
    # the current certificate is superseded by nothing, by definition
    return {uid for uid, cert in current.items()
            if rules.status(cert.valid_until, today, revoked=cert.revocation is not None,
                            superseded=False, window_months=window)
            == rules.CertificateStatus.RENEWAL_DUE}


@certification_registry.revocations
def latest_revocation_date(user_id: int) -> date | None:
    """The date of the person's latest revocation (取消日), or None: ground エ of §6(1) bars
    re-certification for 2 years from it (the committee's disqualification check asks this)."""
    return db.session.scalar(
        select(Revocation.revoked_on).join(Certificate)
        .where(Certificate.user_id == user_id).order_by(Revocation.revoked_on.desc()).limit(1))


def by_token(token: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.token == token))


def by_number(number: str) -> Certificate | None:
    canonical = rules.parse_certificate_number(number)
    if canonical is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.number == canonical))


def profile_of(user: User) -> HolderProfile:
    """The person's registry profile, created empty on first use."""
    profile = db.session.get(HolderProfile, user.id)
    if profile is None:
        profile = HolderProfile(user_id=user.id)
        db.session.add(profile)
        db.session.flush()
    return profile


def awaiting_issue(cohort_id: int | None = None) -> list[CertificationDecision]:
    """Certified decisions with no certificate yet (the issue queue), by cohort and name."""
    issued = select(Certificate.decision_id)
    query = (select(CertificationDecision).join(Enrolment).join(User, User.id == Enrolment.user_id)
             .where(CertificationDecision.outcome == Outcome.CERTIFIED,
                    CertificationDecision.id.not_in(issued))
             .order_by(Enrolment.cohort_id, User.name))
    if cohort_id is not None:
        query = query.where(Enrolment.cohort_id == cohort_id)
    return list(db.session.scalars(query))


# -- issuing ----------------------------------------------------------------------------------

def _serial_row(year: int) -> None:
    """Make sure fiscal *year* has its serial counter row."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CertificateSerial)
    db.session.execute(insert.values(fiscal_year=year, last=0).on_conflict_do_nothing())


def _next_serial(year: int) -> int:
    """The next serial of fiscal *year*: one UPDATE, so two issuers never share a number (the
    row stays locked until the caller commits on PostgreSQL)."""
    _serial_row(year)
    return db.session.execute(
        update(CertificateSerial).where(CertificateSerial.fiscal_year == year)
        .values(last=CertificateSerial.last + 1).returning(CertificateSerial.last)
        .execution_options(synchronize_session=False)).scalar_one()


@dataclass(frozen=True)
class _Issue:
    kind: IssueKind
    holder: User
    decision: CertificationDecision
    certified_on: date
    valid_until: date
    supersedes: Certificate | None = None
    reason: str = ""


def _issue(actor: User | None, spec: _Issue, today: date) -> Certificate:
    profile = profile_of(spec.holder)
    year = rules.fiscal_year(today)
    serial = _next_serial(year)
    token = secrets.token_urlsafe(32)
    cert = Certificate(
        number=rules.certificate_number(year, serial), fiscal_year=year, serial=serial,
        token=token, kind=spec.kind, user_id=spec.holder.id, decision_id=spec.decision.id,
        supersedes_id=spec.supersedes.id if spec.supersedes else None,
        holder_name=spec.holder.name, holder_furigana=profile.furigana,
        holder_organisation=profile.organisation, holder_prefecture=profile.prefecture,
        certified_on=spec.certified_on, valid_until=spec.valid_until, issued_on=today,
        issued_at=utcnow(), issued_by_id=getattr(actor, "id", None),
        rule_version=rules.RULE_VERSION, reason=spec.reason)
    document = pdf.render(pdf.Printed(
        number=cert.number, name=cert.holder_name, furigana=cert.holder_furigana,
        certified_on=cert.certified_on, valid_until=cert.valid_until, issued_on=today,
        verify_url=verify_url(token), kind=spec.kind.value))
    cert.pdf, cert.pdf_sha256 = document, pdf.sha256(document)
    db.session.add(cert)
    db.session.flush()
    # the same certificate as an Open Badges 3.0 credential; the one it replaces is revoked
    credentials.issue(cert)
    if spec.supersedes is not None:
        credentials.revoke(spec.supersedes.id)
    audit.record(actor, f"certificate.{spec.kind.value}", cert, {
        "number": cert.number, "holder": spec.holder.id,
        "valid_until": cert.valid_until.isoformat(),
        "supersedes": spec.supersedes.number if spec.supersedes else None,
        "reason": spec.reason})
    _statement(actor or spec.holder, spec.holder,
               vocab.CERTIFICATE_RENEWED if spec.kind == IssueKind.RENEWAL
               else vocab.CERTIFICATE_ISSUED, cert)
    _tell_holder(spec.holder, cert)
    return cert


def verify_url(token: str) -> str:
    return external_url("certificates.verify_token", token=token)


def issue(actor: User, decision: CertificationDecision, today: date) -> Certificate:
    """Issue the first certificate (交付) for a certified decision."""
    if decision.outcome != Outcome.CERTIFIED:
        raise CertificateError("not_certified")
    if db.session.scalar(select(Certificate.id).where(Certificate.decision_id == decision.id)):
        raise CertificateError("already_issued")
    holder = db.session.get_one(User, decision.enrolment.user_id)
    return _issue(actor, _Issue(IssueKind.FIRST, holder, decision, decision.decided_on,
                                rules.valid_until(decision.decided_on)), today)


def issue_many(actor: User, decision_ids: Iterable[int], today: date,
               progress: Callable[[int, int], None] | None = None
               ) -> tuple[list[Certificate], list[tuple[int, str]]]:
    """Issue for every decision of *decision_ids* still awaiting one; return (issued, skipped
    with the reason code). Each is issued in a savepoint, so one refusal does not undo the rest."""
    ids = list(decision_ids)
    issued: list[Certificate] = []
    skipped: list[tuple[int, str]] = []
    if ids:
        # A write before the first savepoint: SQLite's driver opens its transaction only at a
        # write, so the SAVEPOINT would otherwise be the transaction and each RELEASE a commit
        # (a disk sync per certificate, and the caller's rollback would not undo them).
        _serial_row(rules.fiscal_year(today))
    for n, decision_id in enumerate(ids, 1):
        decision = db.session.get(CertificationDecision, decision_id)
        if decision is None:
            skipped.append((decision_id, "not_found"))
            continue
        try:
            with db.session.begin_nested():
                issued.append(issue(actor, decision, today))
        except CertificateError as exc:
            skipped.append((decision_id, exc.code))
        except IntegrityError:
            # Another administrator issued it a moment earlier (one first issue per decision).
            skipped.append((decision_id, "already_issued"))
        if progress:
            progress(n, len(ids))
    return issued, skipped


def reissue(actor: User, cert: Certificate, reason: str, today: date) -> Certificate:
    """再交付: a new certificate with the same dates and the holder's current details (e.g. a
    new name) that supersedes *cert*; the old record stays as it was."""
    if not reason.strip():
        raise CertificateError("reason_required")
    _require_current(cert, today)
    return _issue(actor, _Issue(IssueKind.REISSUE, cert.user, cert.decision, cert.certified_on,
                                cert.valid_until, supersedes=cert, reason=reason.strip()),
                  today)


def renew(holder: User, cert: Certificate, completed_on: date) -> Certificate:
    """更新: after the renewal training completed on *completed_on*, a new certificate whose
    period runs from the old expiry; refused after the expiry (a new certification is needed)."""
    if cert.user_id != holder.id:
        raise CertificateError("not_holder")
    if cert.revocation is not None or cert.superseded_by is not None:
        raise CertificateError("not_current")
    answer = rules.renewal(cert.valid_until, completed_on,
                           current_app.config["CERT_RENEWAL_YEARS"])
    if answer.valid_until is None:
        raise CertificateError("lapsed", answer.reason)
    return _issue(None, _Issue(IssueKind.RENEWAL, holder, cert.decision, cert.certified_on,
                               answer.valid_until, supersedes=cert), completed_on)


def _require_current(cert: Certificate, today: date) -> None:
    state = status_of(cert, today)
    if state in (rules.CertificateStatus.REVOKED, rules.CertificateStatus.SUPERSEDED,
                 rules.CertificateStatus.LAPSED):
        raise CertificateError(state.value)


def revoke(actor: User, cert: Certificate, ground: RevocationGround, note: str,
           today: date) -> Revocation:
    """取消し: the certification ends today; the certificate record stays and verification shows
    取消 with the date. Re-certification is barred for 2 years (ground エ)."""
    if not note.strip():
        raise CertificateError("note_required")
    if cert.revocation is not None:
        raise CertificateError("revoked")
    if cert.superseded_by is not None:
        raise CertificateError("superseded")
    revocation = Revocation(certificate_id=cert.id, revoked_on=today, ground=ground,
                            note=note.strip(), revoked_by_id=actor.id)
    db.session.add(revocation)
    db.session.flush()
    db.session.refresh(cert)
    credentials.revoke(cert.id)
    audit.record(actor, "certificate.revoke", cert, {
        "number": cert.number, "ground": ground.value, "note": note.strip(),
        "revoked_on": today.isoformat()})
    _statement(actor, cert.user, vocab.CERTIFICATE_REVOKED, cert)
    return revocation


def _statement(actor: User, holder: User, verb: vocab.Verb, cert: Certificate) -> None:
    xapi.record(actor, verb, certificate_activity(cert), context={"extensions": {
        vocab.EXT_HOLDER.iri: holder.public_id}})


def certificate_activity(cert: Certificate) -> dict:
    return xapi.activity(xapi.activity_iri("certificates", cert.number), vocab.TYPE_CERTIFICATE,
                         f"認定証 {cert.number}", f"Certificate {cert.number}")


def _tell_holder(holder: User, cert: Certificate) -> None:
    notify(holder, "certificate_issued", link=external_url("certificates.mine"),
           number=cert.number, until=cert.valid_until)
