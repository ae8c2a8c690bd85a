"""Instructor preview: any module, published or not, rendered from the files before syncing."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

from lms.content.loader import load_modules, parse_vtt
from lms.content.render import module_html
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
    captions = dict(found.captions)
    root = Path(current_app.config["CONTENT_DIR"])
    transcript = ([[c.start, c.end, c.text] for c in
                   parse_vtt((root / captions["ja"]).read_text(encoding="utf-8"))]
                  if "ja" in captions else [])
    view = PreviewModule(found, transcript)
    return render_template("course/module.html", module=view, preview=True, progress=None,
                           group=None, previous=None, next=None, session_id=str(uuid.uuid4()),
                           body=module_html(found.body, found.path),
                           threshold=current_app.config["COMPLETION_THRESHOLD"])


class PreviewModule:
    """A module file shaped like a ``LectureModule`` row, so trainees' template renders it."""

    def __init__(self, module, transcript):
        self.slug = module.id
        self.group_letter = module.group
        self.order = module.order
        self.title = module.title
        self.objectives = list(module.objectives)
        self.video = module.video
        self.captions = dict(module.captions)
        self.duration_seconds = module.duration
        self.published = module.published
        self.transcript = transcript
        self.version = None
