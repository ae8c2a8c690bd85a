"""The secretariat's certificate work: the issue queue (one by one or a cohort at once), a
certificate's page with reissue and revocation, and the registry (認定者名簿, §7)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms import mail
from lms.auth.models import User
from lms.certificates import office as _office  # noqa: F401  (export, programme sections)
from lms.certificates import registry, rules, services
from lms.certificates.forms import GROUND_LABELS, PREFECTURES, ReissueForm, RevokeForm
from lms.certificates.models import Certificate, HolderProfile, RevocationGround
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.security import Role, roles_required
from lms.timeutil import today_tokyo

bp = Blueprint("certificates_admin", __name__, url_prefix="/admin/certificates")

#: decisions issued per request of the progress display (one click issues them all)
BATCH = 10


@bp.route("/")
@roles_required(Role.ADMIN)
def queue():
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.training_start.desc())).all()
    cohort_id = request.args.get("cohort", type=int)
    waiting = services.awaiting_issue(cohort_id)
    return render_template("certificates/queue.html", cohorts=cohorts, cohort_id=cohort_id,
                           waiting=waiting, batch=BATCH, form=ReissueForm())


@bp.route("/issue", methods=["POST"])
@roles_required(Role.ADMIN)
def issue():
    """Issue for the posted decisions; JSON for the progress display, a redirect otherwise."""
    ids = [int(v) for v in request.form.getlist("decision") if v.isdigit()]
    issued, skipped = services.issue_many(current_user, ids, today_tokyo())
    db.session.commit()
    mail.deliver_committed()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(issued=[c.number for c in issued], skipped=[s for _, s in skipped])
    flash(_("%(n)s certificates issued.", n=len(issued)), "success")
    if skipped:
        flash(_("%(n)s skipped (already issued or not certified).", n=len(skipped)), "warning")
    return redirect(url_for("certificates_admin.queue",
                            cohort=request.form.get("cohort", type=int)))


@bp.route("/<int:cert_id>")
@roles_required(Role.ADMIN)
def detail(cert_id: int):
    cert = db.session.get(Certificate, cert_id) or abort(404)
    return render_template("certificates/detail.html", cert=cert,
                           state=services.status_of(cert, today_tokyo()),
                           era=rules.japanese_date, reissue_form=ReissueForm(),
                           revoke_form=RevokeForm(), grounds=GROUND_LABELS)


@bp.route("/<int:cert_id>/reissue", methods=["POST"])
@roles_required(Role.ADMIN)
def reissue(cert_id: int):
    cert = db.session.get(Certificate, cert_id) or abort(404)
    form = ReissueForm()
    if not form.validate_on_submit():
        flash(_("Please give the reason for the reissue."), "error")
        return redirect(url_for(".detail", cert_id=cert.id))
    try:
        new = services.reissue(current_user, cert, form.reason.data, today_tokyo())
    except services.CertificateError:
        flash(_("This certificate can no longer be reissued."), "error")
        return redirect(url_for(".detail", cert_id=cert.id))
    db.session.commit()
    flash(_("Certificate %(number)s issued; it replaces %(old)s.", number=new.number,
            old=cert.number), "success")
    return redirect(url_for(".detail", cert_id=new.id))


@bp.route("/<int:cert_id>/revoke", methods=["POST"])
@roles_required(Role.ADMIN)
def revoke(cert_id: int):
    cert = db.session.get(Certificate, cert_id) or abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Please choose a ground and write a note."), "error")
        return redirect(url_for(".detail", cert_id=cert.id))
    try:
        services.revoke(current_user, cert, RevocationGround(form.ground.data), form.note.data,
                        today_tokyo())
    except services.CertificateError:
        flash(_("This certificate cannot be revoked (already revoked or replaced)."), "error")
        return redirect(url_for(".detail", cert_id=cert.id))
    db.session.commit()
    flash(_("Certificate %(number)s revoked.", number=cert.number), "success")
    return redirect(url_for(".detail", cert_id=cert.id))


@bp.route("/registry")
@roles_required(Role.ADMIN)
def registry_list():
    """認定者名簿: one row per certified person (their current certificate), with filters."""
    query = registry.RegistryQuery.from_args(request.args)
    page = registry.search(query, today_tokyo())
    return render_template("certificates/registry.html", query=query, page=page,
                           prefectures=PREFECTURES, statuses=list(rules.CertificateStatus),
                           era=rules.japanese_date)


@bp.route("/registry/<int:user_id>")
@roles_required(Role.ADMIN)
def person(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    today = today_tokyo()
    certs = services.certificates_of(user.id)
    return render_template("certificates/person.html", person=user, certs=certs,
                           profile=db.session.get(HolderProfile, user.id), today=today,
                           status_of=services.status_of, era=rules.japanese_date,
                           grounds=GROUND_LABELS)
