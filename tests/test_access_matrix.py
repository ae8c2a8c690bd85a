"""Every route declares who may reach it, and the server enforces it.

Walks ``app.url_map``, so routes added by later features are covered automatically.
"""

import pytest

from lms.security import AUTHENTICATED, LRS_CLIENT, PUBLIC, Role

#: routes anyone may open; adding one here is a deliberate decision
EXPECTED_PUBLIC = {
    "auth.login", "auth.forgot_password", "auth.reset_password", "auth.accept_invitation",
    "auth.set_language", "home.healthz", "home.livez", "lrs.about",
    "applications.open_cohorts", "applications.cohort", "applications.verify",
    "certificates.verify", "certificates.verify_token", "certificates.organisations",
    # Open Badges: the issuer's public keys, status lists and the verification page
    "credentials.jwks", "credentials.did_document", "credentials.achievement",
    "credentials.status_list", "credentials.verify",
    "home.favicon",
    "vocab.index", "vocab.term",  # the LMS's own xAPI terms, defined at their IRIs
}


#: the message of a refusal by role, as opposed to a programme lock
ROLE_REFUSAL = "このページを表示する権限がありません"


def sample_url(rule) -> str:
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg].__class__.__name__
        values[arg] = 1 if converter == "IntegerConverter" else "x"
    return rule.build(values, append_unknown=False)[1]


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions[rule.endpoint]
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        yield rule, getattr(view, "access", None), method


def test_every_route_declares_its_access(app):
    undeclared = [r.endpoint for r, access, _ in routes(app) if access is None]
    assert undeclared == []
    public = {r.endpoint for r, access, _ in routes(app) if access == PUBLIC}
    assert public == EXPECTED_PUBLIC


def test_anonymous_visitors_are_sent_to_log_in(app, client):
    for rule, access, method in routes(app):
        if access == PUBLIC:
            continue
        response = client.open(sample_url(rule), method=method)
        assert response.status_code in (302, 401), rule.endpoint
        if response.status_code == 302:
            assert "/auth/login" in response.headers["Location"], rule.endpoint


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_refused_what_it_does_not_hold(app, client, auth, make_user, role):
    make_user(f"{role.value}@example.jp", role)
    auth.login(f"{role.value}@example.jp")
    checked = 0
    for rule, access, method in routes(app):
        if access in (PUBLIC, AUTHENTICATED) or rule.endpoint == "auth.logout":
            continue
        if access == LRS_CLIENT:  # a session never opens the LRS: Basic credentials do
            assert client.open(sample_url(rule), method=method).status_code == 401
            continue
        response = client.open(sample_url(rule), method=method)
        refused = response.status_code == 403 and ROLE_REFUSAL in response.text
        if role in access:
            # a gated page may still be locked (403) for this trainee, but not for their role
            assert not refused, rule.endpoint
        else:
            assert refused, rule.endpoint
            checked += 1
    assert checked > 0
