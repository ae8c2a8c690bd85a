"""The LMS's own xAPI terms resolve at their IRIs, in Japanese and English, to anyone."""

import pytest
from markupsafe import escape

from lms.xapi import vocab


@pytest.mark.parametrize("key", sorted(vocab.LMS_TERMS))
def test_every_own_term_is_defined_at_its_iri(client, key):
    term = vocab.LMS_TERMS[key]
    path = f"/vocab/{term.kind}/{term.name}"
    as_json = client.get(path, headers={"Accept": "application/ld+json"})
    assert as_json.status_code == 200 and as_json.mimetype == "application/ld+json"
    concept = as_json.get_json()
    assert concept["id"] == "http://lms.test" + path
    assert concept["type"] in ("Verb", "ActivityType", "ContextExtension", "ResultExtension")
    assert concept["prefLabel"] == {"ja": term.ja, "en": term.en}
    assert set(concept["definition"]) == {"ja", "en"}
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and term.definition_ja in page.text \
        and str(escape(term.definition_en)) in page.text


def test_the_vocabulary_index_lists_every_term(client):
    listed = client.get("/vocab/", headers={"Accept": "application/json"}).get_json()
    assert {c["id"] for c in listed["concepts"]} == {
        f"http://lms.test/vocab/{kind}/{name}" for kind, name in vocab.LMS_TERMS}
    assert client.get("/vocab/").status_code == 200  # HTML for a browser


def test_an_unknown_term_is_not_found(client):
    assert client.get("/vocab/verbs/no-such-verb").status_code == 404
