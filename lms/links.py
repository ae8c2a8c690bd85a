"""Absolute links for mail and xAPI, built without a request (CLI jobs send mail too)."""

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """Return ``LMS_BASE_URL`` (which includes any path prefix) + the route for *endpoint*."""
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return current_app.config["BASE_URL"].rstrip("/") + adapter.build(endpoint, values)
