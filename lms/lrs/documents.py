"""The document resources: State, Activity Profile and Agent Profile (xAPI 1.0.3 §2.3–2.6)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from lms.extensions import db
from lms.lrs.models import DocumentKind, XapiDocument
from lms.lrs.protocol import LrsError
from lms.timeutil import utcnow


@dataclass(frozen=True)
class Address:
    """Where a document lives; parts a resource does not use are ''."""

    kind: DocumentKind
    activity_id: str = ""
    agent_key: str = ""
    registration: str = ""

    def where(self):
        return (XapiDocument.kind == self.kind, XapiDocument.activity_id == self.activity_id,
                XapiDocument.agent_key == self.agent_key,
                XapiDocument.registration == self.registration)


def etag(content: bytes) -> str:
    return '"' + hashlib.sha1(content).hexdigest() + '"'


def get(address: Address, doc_id: str) -> XapiDocument | None:
    return db.session.execute(select(XapiDocument).where(
        *address.where(), XapiDocument.doc_id == doc_id)).scalar_one_or_none()


def ids(address: Address, since: datetime | None) -> list[str]:
    stmt = select(XapiDocument.doc_id).where(*address.where()).order_by(XapiDocument.doc_id)
    if since is not None:
        stmt = stmt.where(XapiDocument.updated_at > since)
    return list(db.session.scalars(stmt))


def check_preconditions(existing: XapiDocument | None, if_match: str | None,
                        if_none_match: str | None, required: bool) -> None:
    """Apply If-Match / If-None-Match; a profile PUT over a document needs one of them."""
    if if_match is not None:
        tags = {t.strip() for t in if_match.split(",")}
        if existing is None or ("*" not in tags and existing.etag not in tags):
            raise LrsError(412, "The document changed since you read it (If-Match failed).")
    if if_none_match is not None and existing is not None:
        tags = {t.strip() for t in if_none_match.split(",")}
        if "*" in tags or existing.etag in tags:
            raise LrsError(412, "The document already exists (If-None-Match failed).")
    if required and existing is not None and if_match is None and if_none_match is None:
        raise LrsError(409, "The document exists: send If-Match with its ETag, or "
                            "If-None-Match, to say what you expect.")


def _is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "application/json"


def put(address: Address, doc_id: str, content: bytes, content_type: str,
        merge: bool) -> XapiDocument:
    """Store (PUT) or merge (POST: JSON objects, top-level keys) a document; flushes."""
    existing = get(address, doc_id)
    if merge and existing is not None:
        if not (_is_json(content_type) and _is_json(existing.content_type)):
            raise LrsError(400, "POST merges JSON documents only; use PUT to replace.")
        try:
            old, new = json.loads(existing.content), json.loads(content)
        except ValueError:
            raise LrsError(400, "The document is not valid JSON.") from None
        if not (isinstance(old, dict) and isinstance(new, dict)):
            raise LrsError(400, "POST merges JSON objects only.")
        content = json.dumps({**old, **new}, ensure_ascii=False).encode()
    elif merge and _is_json(content_type):
        try:
            if not isinstance(json.loads(content), dict):
                raise ValueError
        except ValueError:
            raise LrsError(400, "POST with application/json needs a JSON object.") from None
    if existing is None:
        existing = XapiDocument(kind=address.kind, activity_id=address.activity_id,
                                agent_key=address.agent_key, registration=address.registration,
                                doc_id=doc_id)
        db.session.add(existing)
    existing.content = content
    existing.content_type = content_type or "application/octet-stream"
    existing.etag = etag(content)
    existing.updated_at = utcnow()
    db.session.flush()
    return existing


def remove(address: Address, doc_id: str | None, since: datetime | None = None) -> None:
    """Delete one document, or (State only) every document at the address, or those of them
    changed after *since*; flushes."""
    stmt = delete(XapiDocument).where(*address.where())
    if doc_id is not None:
        stmt = stmt.where(XapiDocument.doc_id == doc_id)
    elif since is not None:
        stmt = stmt.where(XapiDocument.updated_at > since)
    db.session.execute(stmt)
