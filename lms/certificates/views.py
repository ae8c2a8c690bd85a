"""The holder's certificates and profile; public verification and the organisation list."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from lms import audit
from lms.certificates import programme, rules, services, throttle
from lms.certificates.forms import ProfileForm, VerifyForm
from lms.certificates.models import Certificate, HolderProfile
from lms.extensions import db
from lms.security import Role, login_required, public
from lms.timeutil import today_tokyo, utcnow

bp = Blueprint("certificates", __name__, url_prefix="/certificates")
# Renewal training plugs into the gating and the quiz engine once the app registers us.
bp.record_once(lambda state: programme.register())


@bp.route("/mine")
@login_required
def mine():
    today = today_tokyo()
    certs = services.certificates_of(current_user.id)
    profile = services.profile_of(current_user)
    db.session.commit()
    form = ProfileForm(obj=profile)
    return render_template("certificates/mine.html", certs=certs, form=form, today=today,
                           status_of=services.status_of, era=rules.japanese_date,
                           current=services.current_certificate(current_user.id),
                           renewal_test=programme.renewal_test())


@bp.route("/mine/profile", methods=["POST"])
@login_required
def save_profile():
    profile = services.profile_of(current_user)
    form = ProfileForm()
    if form.validate_on_submit():
        consent_changed = bool(form.list_consent.data) != profile.list_consent
        form.populate_obj(profile)
        if consent_changed:
            profile.consent_changed_at = utcnow()
            audit.record(current_user, "certificate.list_consent", ("User", current_user.id),
                         {"consent": profile.list_consent})
        db.session.commit()
        flash(_("Your details were saved. They appear on certificates issued from now on."),
              "success")
    else:
        flash(_("Please check the form."), "error")
    return redirect(url_for("certificates.mine"))


@bp.route("/<int:cert_id>/pdf")
@login_required
def download(cert_id: int):
    """The PDF, for its holder and for administrators only."""
    cert = db.session.get(Certificate, cert_id) or abort(404)
    if cert.user_id != current_user.id and not current_user.has_role(Role.ADMIN):
        abort(403)
    response = make_response(cert.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificate-{cert.number}.pdf"')
    return response


def _limited():
    allowed = throttle.allow()
    db.session.commit()
    if not allowed:
        return render_template("certificates/verify.html", form=VerifyForm(), limited=True), 429
    return None


@bp.route("/v/<token>")
@public
def verify_token(token: str):
    """What the QR code opens: name, status and validity."""
    refusal = _limited()
    if refusal:
        return refusal
    cert = services.by_token(token) if len(token) <= 64 else None
    return render_template("certificates/verified.html", cert=cert, show_name=True,
                           **_facts(cert)), (200 if cert else 404)


@bp.route("/verify")
@public
def verify():
    """Typing a number: status and validity; the name only when the family name matches."""
    form = VerifyForm(request.args)
    if not request.args:
        return render_template("certificates/verify.html", form=form, limited=False)
    refusal = _limited()
    if refusal:
        return refusal
    cert = services.by_number(form.number.data or "") if form.validate() else None
    show_name = bool(cert and form.family_name.data
                     and rules.family_name_matches(form.family_name.data, cert.holder_name))
    return render_template("certificates/verified.html", cert=cert, show_name=show_name,
                           typed=True, form=form, **_facts(cert)), (200 if cert else 404)


def _facts(cert: Certificate | None) -> dict:
    if cert is None:
        return {"state": None, "era": rules.japanese_date}
    return {"state": services.status_of(cert, today_tokyo()), "era": rules.japanese_date}


@bp.route("/organisations")
@public
def organisations():
    """所属機関リスト: organisations of holders of a current certificate who consented."""
    today = today_tokyo()
    rows = db.session.execute(
        select(HolderProfile).where(HolderProfile.list_consent.is_(True),
                                    HolderProfile.organisation != "")).scalars().all()
    listed: dict[tuple[str, str], int] = {}
    for profile in rows:
        cert = services.current_certificate(profile.user_id)
        if cert is None or services.status_of(cert, today) not in (
                rules.CertificateStatus.VALID, rules.CertificateStatus.RENEWAL_DUE):
            continue
        key = (profile.prefecture, profile.organisation)
        listed[key] = listed.get(key, 0) + 1
    return render_template("certificates/organisations.html", listed=sorted(listed.items()))


STATUS_LABELS = {
    rules.CertificateStatus.VALID: _l("Valid"),
    rules.CertificateStatus.RENEWAL_DUE: _l("Valid (renewal due)"),
    rules.CertificateStatus.LAPSED: _l("Lapsed"),
    rules.CertificateStatus.REVOKED: _l("Revoked"),
    rules.CertificateStatus.SUPERSEDED: _l("Superseded"),
}
STATUS_BADGE = {"valid": "ok", "renewal_due": "warn", "lapsed": "err", "revoked": "err",
                "superseded": ""}


@bp.app_template_global("certificate_status")
def certificate_status(state) -> str:
    return str(STATUS_LABELS[rules.CertificateStatus(state)])


@bp.app_template_global("certificate_badge")
def certificate_badge(state) -> str:
    return STATUS_BADGE[str(state)]
