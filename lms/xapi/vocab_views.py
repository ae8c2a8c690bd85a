"""The LMS's own xAPI vocabulary, served at the IRIs its terms use (public, read-only).

``<base>/vocab/`` lists every term; ``<base>/vocab/<kind>/<name>`` defines one, as HTML for
people and as JSON-LD (an xAPI Profiles concept) for ``Accept: application/ld+json`` or
``application/json``.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request

from lms.security import public
from lms.xapi import vocab

bp = Blueprint("vocab", __name__, url_prefix="/vocab")

JSON_TYPES = ("application/ld+json", "application/json")


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", *JSON_TYPES])
    return best in JSON_TYPES


def concept(term: vocab.LmsTerm) -> dict:
    """One term as an xAPI Profiles concept, with Japanese and English labels."""
    return {"id": term.iri, "type": term.concept, "inScheme": vocab.vocab_base() + "/",
            "prefLabel": {"ja": term.ja, "en": term.en},
            "definition": {"ja": term.definition_ja, "en": term.definition_en}}


def _answer(data: dict):
    response = jsonify(data)
    response.mimetype = "application/ld+json"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.route("/")
@public
def index():
    terms = sorted(vocab.LMS_TERMS.values(), key=lambda t: (t.kind, t.name))
    if _wants_json():
        return _answer({"@context": "https://w3id.org/xapi/profiles/context",
                        "id": vocab.vocab_base() + "/", "type": "Profile",
                        "prefLabel": {"ja": "外国人支援コーディネーター養成研修 LMS の語彙",
                                      "en": "Coordinator training LMS vocabulary"},
                        "concepts": [concept(t) for t in terms]})
    return render_template("xapi/vocab.html", terms=terms)


@bp.route("/<kind>/<name>")
@public
def term(kind: str, name: str):
    found = vocab.LMS_TERMS.get((kind, name))
    if found is None:
        abort(404)
    if _wants_json():
        return _answer({"@context": "https://w3id.org/xapi/profiles/context",
                        **concept(found)})
    return render_template("xapi/vocab.html", terms=[found])
