"""Authoring from the web: the content status (files against the database, with every problem
by file and line), previews of modules, tests and report forms as a trainee sees them, and
publishing (the same code as ``flask content sync``)."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.assessment.presenting import ShownQuestion
from lms.assessment.quizcheck import load_quizzes
from lms.content.loader import load_modules
from lms.content.models import LectureModule
from lms.content.publish import publish, status
from lms.content.render import module_html
from lms.content.sync import apply_file
from lms.extensions import db
from lms.practice.formfile import load_report_forms
from lms.security import Role, roles_required

bp = Blueprint("preview", __name__, url_prefix="/instructor/preview")


def _root() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


@bp.route("/")
@roles_required(Role.INSTRUCTOR, Role.ADMIN)
def index():
    modules, _problems = load_modules(_root())
    quizzes, _q = load_quizzes(_root().parent)
    forms, _f = load_report_forms(_root().parent)
    return render_template("course/preview_index.html", modules=modules, quizzes=quizzes,
                           forms=forms, status=status(_root()))


@bp.route("/publish", methods=["POST"])
@roles_required(Role.ADMIN)
def publish_content():
    result = publish(_root(), current_user)
    if not result.published:
        db.session.rollback()
        flash(_("Nothing was published: fix the problems listed below first."), "error")
        return redirect(url_for("preview.index"))
    db.session.commit()
    added = len(result.modules.added) + len(result.quizzes.added)
    updated = len(result.modules.updated) + len(result.quizzes.updated)
    removed = len(result.modules.unpublished) + len(result.quizzes.unpublished)
    flash(_("Published: %(added)s added, %(updated)s updated, %(removed)s withdrawn. "
            "Trainees keep their progress.", added=added, updated=updated, removed=removed),
          "success")
    return redirect(url_for("preview.index"))


@bp.route("/<slug>")
@roles_required(Role.INSTRUCTOR, Role.ADMIN)
def module(slug: str):
    modules, _ = load_modules(_root())
    found = next((m for m in modules if m.id == slug), None)
    if found is None:
        abort(404)
    # A transient row (never added to the session) filled exactly as a sync would fill it.
    view = LectureModule(slug=found.id, version=None)
    apply_file(view, found, _root())
    return render_template("course/module.html", module=view, preview=True, progress=None,
                           group=None, previous=None, next=None, session_id=str(uuid.uuid4()),
                           body=module_html(found.body, found.path),
                           threshold=current_app.config["COMPLETION_THRESHOLD"])


def _shown(question) -> ShownQuestion:
    if question.type in ("single", "multiple"):
        choices = [(o.id, o.text) for o in question.options]
    elif question.type == "ordering":
        choices = list(enumerate(question.items))
    else:
        choices = []
    return ShownQuestion(question.id, question.type, question.prompt, question.points,
                         choices, None)


@bp.route("/quizzes/<slug>")
@roles_required(Role.INSTRUCTOR, Role.ADMIN)
def quiz(slug: str):
    quizzes, _ = load_quizzes(_root().parent)
    found = next((q for q in quizzes if q.id == slug), None)
    if found is None:
        abort(404)
    pools = [(pool.id, [_shown(q) for q in pool.questions]) for pool in found.pools]
    return render_template("course/preview_quiz.html", quiz=found, pools=pools)


@bp.route("/reports/<kind>")
@roles_required(Role.INSTRUCTOR, Role.ADMIN)
def report_form(kind: str):
    forms, _ = load_report_forms(_root().parent)
    found = next((f for f in forms if f.kind == kind), None)
    if found is None:
        abort(404)
    return render_template("course/preview_report.html", form=found)
