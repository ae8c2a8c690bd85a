"""The LRS blueprint (``/xapi``); its routes live in views.py and document_views.py."""

from flask import Blueprint

from lms.extensions import csrf

bp = Blueprint("lrs", __name__, url_prefix="/xapi")
csrf.exempt(bp)


def routes() -> Blueprint:
    """Return the blueprint with every LRS route attached."""
    from lms.lrs import document_views, views  # noqa: F401  (they attach to bp)

    return bp
