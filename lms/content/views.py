"""Course ① pages: the course overview, module pages, player reports and media."""

from __future__ import annotations

import os
import uuid

from flask import Blueprint, abort, current_app, jsonify, render_template, request, send_file
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.security import safe_join

from lms.content import access, authoring, programme, progress
from lms.content.models import LectureModule
from lms.content.render import module_html
from lms.extensions import db
from lms.security import Role, login_required, roles_required

bp = Blueprint("course", __name__)
bp.record_once(lambda state: programme.register())  # its part of the programme
bp.record_once(lambda state: authoring.register())  # its kind of authored file

MAX_SEGMENTS_PER_REPORT = 500
MAX_EVENTS_PER_REPORT = 100


def _module_or_404(slug: str) -> LectureModule:
    module = db.session.execute(
        db.select(LectureModule).filter_by(slug=slug)).scalar_one_or_none()
    if module is None or not access.can_view_module(current_user, module):
        abort(404)
    return module


@bp.route("/course/")
@roles_required(Role.TRAINEE)
def overview():
    if not access.trainee_may_study(current_user):
        return render_template("course/not_enrolled.html")
    groups = progress.course_progress(current_user)
    return render_template("course/overview.html", groups=groups,
                           overall=progress.overall_percent(groups))


@bp.route("/course/modules/<slug>")
@roles_required(Role.TRAINEE)
def module_page(slug: str):
    module = _module_or_404(slug)
    row = progress.open_module(current_user, module)
    session_id = progress.launch(current_user, module, request.base_url).id
    groups = progress.course_progress(current_user)
    group = next(g for g in groups if g.letter == module.group_letter)
    siblings = [m for m, _, _ in group.modules]
    index = siblings.index(module) if module in siblings else 0
    # drawn before the commit, which would expire every row the page reads (a reload each)
    page = render_template(
        "course/module.html", module=module, progress=row, group=group,
        body=module_html(module.body, module.source_path),
        previous=siblings[index - 1] if index > 0 else None,
        next=siblings[index + 1] if index + 1 < len(siblings) else None,
        session_id=session_id,
        threshold=current_app.config["COMPLETION_THRESHOLD"])
    db.session.commit()
    return page


def _events(raw) -> list[progress.PlayerEvent]:
    events = []
    for item in (raw or [])[:MAX_EVENTS_PER_REPORT]:
        if not isinstance(item, dict) or item.get("type") not in {"paused", "seeked", "ended"}:
            continue
        try:
            events.append(progress.PlayerEvent(
                item["type"], float(item.get("time", 0)),
                float(item["from"]) if item.get("from") is not None else None,
                float(item["to"]) if item.get("to") is not None else None))
        except (TypeError, ValueError):
            continue
    return events


@bp.route("/course/modules/<slug>/progress", methods=["POST"])
@roles_required(Role.TRAINEE)
def report_progress(slug: str):
    module = _module_or_404(slug)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    report_id = str(data.get("report_id", ""))
    try:
        uuid.UUID(report_id)
    except ValueError:
        abort(400)
    segments = data.get("segments") or []
    if not isinstance(segments, list):
        abort(400)
    try:
        row = progress.apply_report(
            current_user, module, report_id, segments[:MAX_SEGMENTS_PER_REPORT],
            _events(data.get("events")), float(data.get("position") or 0),
            str(data.get("session_id") or "")[:36], final=data.get("final") is True)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same report raced in twice; the other copy counted
        row = progress.open_module(current_user, module)
    except (TypeError, ValueError):
        abort(400)
    return jsonify(status=row.status.value, coverage=row.coverage,
                   complete=row.status == progress.ProgressStatus.COMPLETE)


@bp.route("/media/<path:path>")
@login_required
def media(path: str):
    """Serve a video or caption file with Range, ETag and caching, to those allowed to see it."""
    root = current_app.config["CONTENT_DIR"]
    full = safe_join(root, path)
    if full is None or not os.path.isfile(full) or not access.can_fetch_media(current_user, path):
        abort(404)
    # private: a shared cache must not hand one trainee's media to someone not allowed it
    cache_control = f"private, max-age={current_app.config['MEDIA_MAX_AGE']}"
    accel = current_app.config["MEDIA_ACCEL"]
    if accel:
        response = current_app.response_class(status=200)
        header = "X-Accel-Redirect" if accel == "x-accel-redirect" else "X-Sendfile"
        target = full if accel == "x-sendfile" else \
            current_app.config["MEDIA_ACCEL_PREFIX"].rstrip("/") + "/" + path
        response.headers[header] = target
        response.headers["Cache-Control"] = cache_control
        return response
    response = send_file(full, conditional=True, etag=True,
                         max_age=current_app.config["MEDIA_MAX_AGE"])
    response.headers["Cache-Control"] = cache_control
    if path.endswith(".vtt"):
        response.mimetype = "text/vtt"
    return response
