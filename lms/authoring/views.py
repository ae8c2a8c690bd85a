"""Authoring from the web: the content status (files against the database, with every problem
by file and line), previews of each registered kind of file as a trainee sees it, and
publishing (the same code as ``flask content sync``)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_login import current_user

from lms.authoring.publish import publish, status
from lms.authoring.registry import FileKind, Preview, kinds
from lms.extensions import db
from lms.security import Role, roles_required

bp = Blueprint("preview", __name__, url_prefix="/instructor/preview")


@bp.record
def _add_previews(state: BlueprintSetupState) -> None:
    # each kind's preview pages (``preview.quiz`` …): the features register their kinds when
    # their own blueprints are registered, so this blueprint is registered after them
    for kind in kinds():
        for page in kind.previews:
            state.add_url_rule(page.rule, page.endpoint, _preview(kind, page))


def _preview(kind: FileKind, page: Preview):
    @roles_required(Role.INSTRUCTOR, Role.ADMIN)
    def view(**values: str):
        (wanted,) = values.values()
        items = kind.check(content_root()).items
        found = next((item for item in items if page.key(item) == wanted), None)
        if found is None:
            abort(404)
        return page.render(found)

    return view


def content_root() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


@bp.route("/")
@roles_required(Role.INSTRUCTOR, Role.ADMIN)
def index():
    return render_template("course/preview_index.html", status=status(content_root()),
                           kinds=[k for k in kinds() if k.listing])


@bp.route("/publish", methods=["POST"])
@roles_required(Role.ADMIN)
def publish_content():
    result = publish(content_root(), current_user)
    if not result.published:
        db.session.rollback()
        flash(_("Nothing was published: fix the problems listed below first."), "error")
        return redirect(url_for("preview.index"))
    db.session.commit()
    flash(_("Published: %(added)s added, %(updated)s updated, %(removed)s withdrawn. "
            "Trainees keep their progress.", added=len(result.total("added")),
            updated=len(result.total("updated")), removed=len(result.total("unpublished"))),
          "success")
    return redirect(url_for("preview.index"))
