"""The LRS blueprint (``/xapi``); its routes live in views.py and document_views.py."""

import base64
import logging

from flask import Blueprint, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException, InternalServerError

from lms.extensions import csrf, db
from lms.lrs import ratelimit
from lms.lrs.protocol import LrsError, error_response, negotiated_version
from lms.timeutil import utcnow

bp = Blueprint("lrs", __name__, url_prefix="/xapi")
csrf.exempt(bp)
log = logging.getLogger(__name__)

CORS_HEADERS = {
    "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Experience-API-Version, "
                                    "If-Match, If-None-Match, Accept-Language",
    "Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, X-Experience-API-Version, "
                                     "X-Experience-API-Consistent-Through",
    "Access-Control-Max-Age": "600",
}


@bp.after_request
def cors(response):
    """Let pages of the origins listed in ``XAPI_CORS_ORIGINS`` use the LRS; no other origin.

    Browsers send the Basic credentials they hold, so ``*`` would let any site post
    statements as the person's LRS client: only listed origins are echoed, never ``*``.
    """
    origins = current_app.config["XAPI_CORS_ORIGINS"].split()
    origin = request.headers.get("Origin")
    if origin and origin in origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers.update(CORS_HEADERS)
    response.vary.add("Origin")
    response.headers["X-Experience-API-Version"] = negotiated_version()
    if request.endpoint == "lrs.get_statements":  # on every answer, errors included
        response.headers.setdefault("X-Experience-API-Consistent-Through",
                                    utcnow().isoformat())
    return response


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    """Werkzeug's errors (413, 429, 405 …) in the LRS's JSON form."""
    if isinstance(exc, InternalServerError):
        return internal_error(exc)
    return error_response(LrsError(exc.code or 500, exc.description or exc.name))


@bp.errorhandler(Exception)
def internal_error(exc: Exception):
    """A fault of the LRS: logged, answered 500 in JSON (xAPI clients read JSON errors)."""
    original = getattr(exc, "original_exception", None) or exc
    log.exception("LRS request failed", exc_info=original)
    db.session.rollback()
    return error_response(LrsError(500, "The LRS failed to handle the request; it was "
                                        "logged. Nothing was stored."))


def client_key() -> str:
    """Rate-limit bucket: the Basic user name (the LRS client's key), else the address."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            return "lrs:" + base64.b64decode(header[6:].strip()).decode().partition(":")[0]
        except (ValueError, UnicodeDecodeError):
            pass
    return "addr:" + (get_remote_address() or "")


@bp.record_once
def _limit_requests(state) -> None:
    """A request rate per LRS client (``XAPI_RATE_LIMIT``), counted where
    ``RATE_LIMIT_STORAGE`` says (``ratelimit``: the database, shared by every instance)."""
    app = state.app
    uri = ratelimit.storage_uri(app.config["RATE_LIMIT_STORAGE"],
                                app.config["ENV"] == "production")
    limiter = Limiter(client_key, app=app, storage_uri=uri,
                      default_limits=[lambda: current_app.config["XAPI_RATE_LIMIT"]],
                      key_prefix="xapi")
    # every other request leaves the limiter at its first check (it runs on each request of
    # the app, and resolving the limits of a page costs more than the page's own view)
    limiter.request_filter(lambda: request.blueprint != "lrs")
    app.extensions["xapi_limiter"] = limiter


def routes() -> Blueprint:
    """Return the blueprint with every LRS route attached."""
    from lms.lrs import document_views, views  # noqa: F401  (they attach to bp)

    return bp
