"""Lecture modules as a kind of authored file: checked, compared, published and previewed
through :mod:`lms.authoring`."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l

from lms import authoring
from lms.authoring.views import content_root
from lms.content.loader import GROUPS, ModuleFile, load_modules
from lms.content.models import LectureModule
from lms.content.render import module_html
from lms.content.sync import apply_file, sync_modules
from lms.extensions import db


def check(root: Path) -> authoring.Checked:
    modules, problems = load_modules(root)
    # every group's unit exists whatever its files: an empty group is satisfied by nothing
    return authoring.Checked(modules, problems, frozenset(f"lectures:{g}" for g in GROUPS))


def shown() -> dict[str, authoring.Shown]:
    return {row.slug: authoring.Shown(row.title, row.content_hash, row.source_path or "",
                                      row.published)
            for row in db.session.execute(db.select(LectureModule)).scalars()}


def preview(module: ModuleFile):
    # A transient row (never added to the session) filled exactly as a sync would fill it.
    view = LectureModule(slug=module.id, version=None)
    apply_file(view, module, content_root())
    return render_template("course/module.html", module=view, preview=True, progress=None,
                           group=None, previous=None, next=None, session_id=str(uuid.uuid4()),
                           body=module_html(module.body, module.path),
                           threshold=current_app.config["COMPLETION_THRESHOLD"])


def register() -> None:
    authoring.register(authoring.FileKind(
        "modules", check, order=10, label=_l("Lecture"), shown=shown, publish=sync_modules,
        listing="course/preview_modules.html",
        previews=(authoring.Preview("/<slug>", "module", preview),)))
