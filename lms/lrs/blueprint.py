"""The LRS blueprint (``/xapi``); its routes live in views.py and document_views.py."""

from flask import Blueprint, current_app, request

from lms.extensions import csrf
from lms.lrs.protocol import VERSION
from lms.timeutil import utcnow

bp = Blueprint("lrs", __name__, url_prefix="/xapi")
csrf.exempt(bp)

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
    """Let xAPI content served from another origin use the LRS (credentials are explicit)."""
    origins = current_app.config["XAPI_CORS_ORIGINS"].strip()
    origin = request.headers.get("Origin")
    if origins == "*" or (origin and origin in origins.split()):
        response.headers["Access-Control-Allow-Origin"] = "*" if origins == "*" else origin
        response.headers.update(CORS_HEADERS)
        response.vary.add("Origin")
    response.headers["X-Experience-API-Version"] = VERSION
    if request.endpoint == "lrs.get_statements":  # on every answer, errors included
        response.headers.setdefault("X-Experience-API-Consistent-Through",
                                    utcnow().isoformat())
    return response


def routes() -> Blueprint:
    """Return the blueprint with every LRS route attached."""
    from lms.lrs import document_views, views  # noqa: F401  (they attach to bp)

    return bp
