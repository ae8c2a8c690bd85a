"""The LRS's HTTP resources at ``/xapi/``: About, Statements, Activities, Agents."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from typing import Any

from flask import Response, current_app, g, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.lrs import formats, ingest, multipart, query
from lms.lrs.blueprint import bp
from lms.lrs.protocol import (
    VERSIONS,
    LrsError,
    check_version,
    count_use,
    is_version_2,
    json_response,
    lrs_view,
)
from lms.timeutil import utcnow
from lms.xapi import index
from lms.xapi.models import Statement, StatementAttachment


@bp.get("/about")
@lrs_view(None)
def about():
    """The versions this LRS speaks (no credentials; answered in the version asked, if any)."""
    if "X-Experience-API-Version" in request.headers:
        with contextlib.suppress(LrsError):  # About answers whatever the client speaks
            check_version()
    return json_response({"version": list(VERSIONS),
                          "extensions": {"https://w3id.org/xapi/lms/name": "coordinator-lms"}})


@bp.route("/statements", methods=["PUT", "POST"])
@lrs_view("write")
def store_statements():
    document, parts = ingest.read_body(request.content_type or "", request.stream,
                                       current_app.config["XAPI_MAX_STATEMENTS"])
    try:
        response = _store(document, parts)
        db.session.commit()
    except IntegrityError:  # the same id sent twice at once: the loser re-checks, as a resend
        db.session.rollback()
        response = _store(document, parts)
        db.session.commit()
    return response


def _store(document, parts) -> Response:
    if request.method == "PUT":
        statement_id = request.args.get("statementId")
        if not statement_id or set(request.args) != {"statementId"}:
            raise LrsError(400, "PUT needs the statementId parameter, and only it.")
        statement_id = query.uuid_param(statement_id, "statementId")
        if isinstance(document, list):
            raise LrsError(400, "PUT takes a single statement.")
        ingest.ingest([document], g.lrs_client, parts, put_id=statement_id)
        response = Response(status=204)
        count_use(g.lrs_client, 1)
    else:
        if request.args:
            raise LrsError(400, "POST /statements takes no parameters.")
        batch = document if isinstance(document, list) else [document]
        if not batch:
            raise LrsError(400, "The batch is empty.")
        ids = ingest.ingest(batch, g.lrs_client, parts)
        count_use(g.lrs_client, len(batch))
        response = json_response(ids)
    return response


def _render(statements: list[dict[str, Any]], params: dict[str, str]) -> list[dict[str, Any]]:
    if not is_version_2():
        statements = [formats.for_version_1(s) for s in statements]
    fmt = params.get("format", "exact")
    if fmt == "ids":
        return [formats.ids_only(s) for s in statements]
    if fmt == "canonical":
        languages = formats.accept_languages(request.headers.get("Accept-Language"))
        return [formats.canonical(s, languages) for s in statements]
    return statements


def _with_attachments(body: Any, statements: list[dict[str, Any]]) -> Response:
    wanted = {a["sha2"] for s in statements for a in s.get("attachments", [])
              if "sha2" in a}
    rows: Iterable[StatementAttachment] = db.session.execute(select(StatementAttachment).where(
        StatementAttachment.sha2.in_(wanted))).scalars() if wanted else []
    parts = [multipart.Part(r.content_type, r.sha2, r.content) for r in rows]
    content_type, payload = multipart.build(
        json.dumps(body, ensure_ascii=False).encode(), parts)
    return Response(payload, content_type=content_type)


@bp.get("/statements")
@lrs_view("read")
def get_statements():
    params = request.args.to_dict()
    now = utcnow()
    if "statementId" in params or "voidedStatementId" in params:
        query.check_params(params)
        row = query.get_one(params)
        statements, stored = _render([row.payload], params), [row.stored_at]
        body = statements[0]
    else:
        page, params = query.search(params)
        statements, stored = _render(page.statements, params), page.stored
        more = url_for("lrs.get_statements", more=page.more) if page.more else ""
        body = {"statements": statements, "more": more}
    count_use(g.lrs_client)
    db.session.commit()
    if params.get("attachments") == "true":
        response = _with_attachments(body, statements)
    else:
        response = json_response(body)
    response.headers["X-Experience-API-Consistent-Through"] = now.isoformat()
    if stored:
        response.last_modified = max(stored)
    return response


@bp.get("/activities")
@lrs_view("read")
def get_activity():
    """The Activity object with the definitions stored statements gave it, merged."""
    activity_id = request.args.get("activityId")
    if not activity_id or set(request.args) != {"activityId"}:
        raise LrsError(400, "activityId is required (and the only parameter).")
    payloads = list(db.session.scalars(
        select(Statement.payload).where(Statement.object_id == activity_id)
        .order_by(Statement.seq.desc()).limit(MERGED_DEFINITIONS)))
    definitions = [p["object"]["definition"] for p in reversed(payloads)
                   if isinstance(p["object"].get("definition"), dict)]
    activity: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if definitions:
        activity["definition"] = formats.merge_definitions(definitions)
    return json_response(activity)


#: how many of the latest statements about an activity /activities merges definitions from
MERGED_DEFINITIONS = 200


@bp.get("/agents")
@lrs_view("read")
def get_person():
    """The Person object of an agent: its identifier and the names statements gave it."""
    raw = request.args.get("agent")
    if not raw or set(request.args) != {"agent"}:
        raise LrsError(400, "agent is required (and the only parameter).")
    key = query.parse_agent(raw)
    agent = json.loads(raw)
    person: dict[str, Any] = {"objectType": "Person"}
    names = db.session.scalars(select(Statement.payload["actor"]["name"].as_string())
                               .where(Statement.actor_key == key)
                               .order_by(Statement.seq.desc()).limit(1)).all()
    if agent.get("name") or names:
        person["name"] = sorted({n for n in [agent.get("name"), *names] if n})
    for ifi in index.IFIS:
        if ifi in agent:
            person[ifi] = [agent[ifi]]
    return json_response(person)
