"""The certification blueprint; the view modules of this package add their routes to it."""

from flask import Blueprint

bp = Blueprint("certification", __name__, url_prefix="/certification")
