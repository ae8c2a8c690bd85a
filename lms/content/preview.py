"""Instructor preview: any module, published or not, rendered from the files before syncing."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

from lms.content.loader import load_modules
from lms.content.models import LectureModule
from lms.content.render import module_html
from lms.content.sync import apply_file
from lms.security import Role, roles_required

bp = Blueprint("preview", __name__, url_prefix="/instructor/preview")


def _load():
    return load_modules(Path(current_app.config["CONTENT_DIR"]))


@bp.route("/")
@roles_required(Role.INSTRUCTOR, Role.ADMIN)
def index():
    modules, problems = _load()
    return render_template("course/preview_index.html", modules=modules, problems=problems)


@bp.route("/<slug>")
@roles_required(Role.INSTRUCTOR, Role.ADMIN)
def module(slug: str):
    modules, _ = _load()
    found = next((m for m in modules if m.id == slug), None)
    if found is None:
        abort(404)
    # A transient row (never added to the session) filled exactly as a sync would fill it.
    view = LectureModule(slug=found.id, version=None)
    apply_file(view, found, Path(current_app.config["CONTENT_DIR"]))
    return render_template("course/module.html", module=view, preview=True, progress=None,
                           group=None, previous=None, next=None, session_id=str(uuid.uuid4()),
                           body=module_html(found.body, found.path),
                           threshold=current_app.config["COMPLETION_THRESHOLD"])

