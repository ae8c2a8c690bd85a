"""HTTP routes of the State, Activity Profile and Agent Profile resources."""

from __future__ import annotations

from flask import Response, g, request

from lms.extensions import db
from lms.lrs import documents, query
from lms.lrs.blueprint import bp
from lms.lrs.documents import Address
from lms.lrs.models import DocumentKind
from lms.lrs.protocol import LrsError, count_use, is_version_2, json_response, lrs_view

RESOURCES = {
    # kind: (required address parameters, optional ones, document id parameter)
    DocumentKind.STATE: (("activityId", "agent"), ("registration",), "stateId"),
    DocumentKind.ACTIVITY_PROFILE: (("activityId",), (), "profileId"),
    DocumentKind.AGENT_PROFILE: (("agent",), (), "profileId"),
}


def _address(kind: DocumentKind) -> tuple[Address, str | None]:
    required, optional, id_name = RESOURCES[kind]
    args = request.args
    allowed = {*required, *optional, id_name, "since"}
    unknown = set(args) - allowed
    if unknown:
        raise LrsError(400, "Unknown parameter(s): " + ", ".join(sorted(unknown)))
    for name in required:
        if not args.get(name):
            raise LrsError(400, f"{name} is required.")
    agent_key = query.parse_agent(args["agent"]) if "agent" in required else ""
    registration = query.uuid_param(args["registration"], "registration") \
        if args.get("registration") else ""
    if len(args.get("activityId", "")) > 500 or len(args.get(id_name, "")) > 300:
        raise LrsError(400, f"activityId may have at most 500 characters, {id_name} 300.")
    address = Address(kind, args.get("activityId", ""), agent_key, registration)
    return address, args.get(id_name)


def _handle(kind: DocumentKind):
    address, doc_id = _address(kind)
    id_name = RESOURCES[kind][2]
    profile = kind != DocumentKind.STATE
    since = query.time_param(request.args["since"], "since") if "since" in request.args \
        else None
    if request.method in ("GET", "HEAD"):  # Flask drops the body of a HEAD answer
        count_use(g.lrs_client)
        db.session.commit()
        if doc_id is None:
            return json_response(documents.ids(address, since))
        doc = documents.get(address, doc_id)
        if doc is None:
            raise LrsError(404, f"No document {doc_id}.")
        response = Response(doc.content, content_type=doc.content_type)
        response.headers["ETag"] = doc.etag
        response.last_modified = doc.updated_at
        return response
    if request.method == "DELETE":
        if doc_id is None and profile:
            raise LrsError(400, f"{id_name} is required.")
        if doc_id is not None:
            documents.check_preconditions(documents.get(address, doc_id),
                                          request.headers.get("If-Match"), None, False)
        documents.remove(address, doc_id, since)
    else:
        if doc_id is None:
            raise LrsError(400, f"{id_name} is required.")
        existing = documents.get(address, doc_id)
        documents.check_preconditions(
            existing, request.headers.get("If-Match"), request.headers.get("If-None-Match"),
            required=(profile or is_version_2()) and request.method == "PUT")
        if len(request.content_type or "") > 200:
            raise LrsError(400, "The Content-Type header is too long (200 characters at most).")
        documents.put(address, doc_id, request.get_data(), request.content_type or "",
                      merge=request.method == "POST")
    count_use(g.lrs_client)
    db.session.commit()
    return Response(status=204)


METHODS = ["GET", "PUT", "POST", "DELETE"]


@bp.route("/activities/state", methods=METHODS)
@lrs_view("auto")
def state():
    return _handle(DocumentKind.STATE)


@bp.route("/activities/profile", methods=METHODS)
@lrs_view("auto")
def activity_profile():
    return _handle(DocumentKind.ACTIVITY_PROFILE)


@bp.route("/agents/profile", methods=METHODS)
@lrs_view("auto")
def agent_profile():
    return _handle(DocumentKind.AGENT_PROFILE)
