"""Committee review of certification-test items (§6(2)ア 監修・審査)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.assessment import itemreview
from lms.assessment.models import ReviewStatus
from lms.auth.models import User
from lms.certification.blueprint import bp
from lms.certification.forms import ItemReviewForm
from lms.extensions import db
from lms.security import Role, roles_required

REVIEW_ERRORS = {
    "own_item": _l("You wrote this item: another member must review it."),
    "comment_required": _l("Say what should change."),
}


@bp.route("/items")
@roles_required(Role.COMMITTEE)
def items():
    found = itemreview.reviewed_items()
    waiting = sum(1 for i in found if i.state != "approved")
    return render_template("certification/items.html", items=found, waiting=waiting)


@bp.route("/items/<question_id>", methods=["GET", "POST"])
@roles_required(Role.COMMITTEE)
def item(question_id: str):
    found = itemreview.find_item(question_id) or abort(404)
    form = ItemReviewForm()
    if form.validate_on_submit():
        status = ReviewStatus.APPROVED if form.approve.data else ReviewStatus.CHANGES_REQUESTED
        try:
            itemreview.review(current_user, found, status, form.comment.data or "")
        except itemreview.ReviewError as exc:
            db.session.rollback()
            flash(str(REVIEW_ERRORS[exc.code]), "error")
        else:
            db.session.commit()
            flash(_("Approved.") if status == ReviewStatus.APPROVED
                  else _("Changes requested."), "success")
            return redirect(url_for("certification.items"))
    reviewers = {u.id: u.name for u in db.session.scalars(db.select(User).where(
        User.id.in_({r.reviewer_id for r in found.reviews if r.reviewer_id})))}
    own = current_user.email.casefold() == found.question.author.casefold()
    return render_template("certification/item.html", item=found, form=form,
                           reviewers=reviewers, own=own)
