"""The in-app notification list, and the unread count in every page's header."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, g, redirect, render_template, url_for
from flask_login import current_user

from lms.extensions import db
from lms.notify import services
from lms.notify.models import Notification
from lms.security import login_required
from lms.templating import _locale

bp = Blueprint("notify", __name__, url_prefix="/notifications")


@bp.route("/")
@login_required
def index():
    rows = services.recent(current_user.id)
    items = [(n, *services.render(n.kind, n.params, _locale(), current_user.name))
             for n in rows if n.kind in services.KINDS]
    return render_template("notify/index.html", items=items)


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_one(notification_id: int):
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    services.mark_read(current_user.id, row.id)
    db.session.commit()
    return redirect(row.link or url_for("notify.index"))


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    services.mark_read(current_user.id)
    db.session.commit()
    return redirect(url_for("notify.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def unread():
        if not current_user.is_authenticated:
            return {}
        # loaded with the user (lms.create_app's user loader), unless read since
        count = g.pop("lms_unread_notifications", None)
        if count is None:
            count = services.unread_count(current_user.id)
        return {"unread_notifications": count}
