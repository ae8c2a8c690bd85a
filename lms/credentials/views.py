"""Public keys, status lists and verification of Open Badges credentials; holders' downloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_login import current_user
from sqlalchemy import select

from lms.credentials import baking, rules, services
from lms.credentials.models import BadgeCredential
from lms.extensions import db
from lms.security import Role, login_required, public

bp = Blueprint("credentials", __name__)


@bp.app_template_global("credential_of")
def credential_of(certificate_id: int) -> BadgeCredential | None:
    """The credential issued with a certificate (templates list the holder's downloads)."""
    return db.session.scalar(select(BadgeCredential)
                             .where(BadgeCredential.certificate_id == certificate_id))

#: the largest credential file the verification page reads (a baked PNG is ~10 KB)
MAX_UPLOAD = 2 * 1024 * 1024


def _json(payload: dict, mimetype: str = "application/json", max_age: int = 300) -> Response:
    response = jsonify(payload)
    response.mimetype = mimetype
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"  # public keys, no credentials
    return response


@bp.route("/.well-known/jwks.json")
@public
def jwks():
    services.keystore().ensure()
    return _json(services.keystore().public_jwks(), "application/jwk-set+json")


@bp.route("/.well-known/did.json")
@bp.route("/did.json")
@public
def did_document():
    services.keystore().ensure()
    return _json(services.did_document(), "application/did+json")


@bp.route("/credentials/achievement")
@public
def achievement():
    issuer = services.issuer()
    return _json({"@context": rules.CONTEXTS, "id": issuer.achievement_id,
                  "type": ["Achievement"], "achievementType": "Certification",
                  "name": rules.ACHIEVEMENT_NAME, "description": rules.ACHIEVEMENT_DESCRIPTION,
                  "criteria": {"narrative": rules.ACHIEVEMENT_CRITERIA}, "inLanguage": "ja"},
                 "application/ld+json")


@bp.route("/credentials/status/<int:number>")
@public
def status_list(number: int):
    response = Response(services.status_list_token(number), mimetype="application/vc+jwt")
    response.headers["Cache-Control"] = (
        f"public, max-age={int(services.STATUS_LIST_TTL.total_seconds() // 12)}")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/credentials/verify", methods=["GET", "POST"])
@public
def verify():
    result, error = None, None
    if request.method == "POST":
        upload = request.files.get("file")
        data: bytes | str = request.form.get("credential", "")
        if upload and upload.filename:
            data = upload.stream.read(MAX_UPLOAD + 1)
            if len(data) > MAX_UPLOAD:
                data, error = "", "too_large"
        if not data and error is None:
            error = "empty"
        if error is None:
            result = services.verify(data, email=request.form.get("email", "").strip() or None)
    return render_template("credentials/verify.html", result=result, error=error,
                           Status=rules.Status)


def _own_credential(certificate_id: int) -> BadgeCredential:
    from lms.certificates.models import Certificate

    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    if certificate.user_id != current_user.id and not current_user.has_role(Role.ADMIN):
        abort(403)
    row = credential_of(certificate_id)
    if row is None:
        abort(404)
    return row


@bp.route("/credentials/certificate/<int:certificate_id>/credential.jwt")
@login_required
def download_token(certificate_id: int):
    row = _own_credential(certificate_id)
    name = f"coordinator-credential-{certificate_id}.jwt"
    return Response(row.token + "\n", mimetype="application/vc+jwt",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/credentials/certificate/<int:certificate_id>/credential.json")
@login_required
def download_json(certificate_id: int):
    row = _own_credential(certificate_id)
    response = jsonify(services.enveloped(row.token))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="coordinator-credential-{certificate_id}.json"')
    return response


@bp.route("/credentials/certificate/<int:certificate_id>/badge.png")
@login_required
def download_badge(certificate_id: int):
    row = _own_credential(certificate_id)
    return Response(baking.bake(baking.badge_image(), row.token), mimetype="image/png",
                    headers={"Content-Disposition":
                             f'attachment; filename="coordinator-badge-{certificate_id}.png"'})
