"""xAPI 1.0.3 alternate request syntax (Communication §1.3), as WSGI middleware.

Browsers that cannot send custom headers or PUT across origins POST to a resource with
``?method=PUT`` (or GET, DELETE, HEAD, POST) and put the headers, the parameters and the
body (``content``) in an ``application/x-www-form-urlencoded`` form. The middleware turns
such a request back into the ordinary one before Flask sees it, so the views stay unaware.
"""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qs, urlencode

METHODS = {"GET", "PUT", "POST", "DELETE", "HEAD"}
HEADERS = {"authorization": "HTTP_AUTHORIZATION",
           "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
           "if-match": "HTTP_IF_MATCH", "if-none-match": "HTTP_IF_NONE_MATCH",
           "accept-language": "HTTP_ACCEPT_LANGUAGE"}


def rewrite(environ: dict) -> str | None:
    """Rewrite *environ* in place from the alternate syntax; return an error message or None."""
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    method = query.get("method", [""])[0].upper()
    if set(query) != {"method"}:
        return "With the alternate request syntax, method is the only query parameter."
    if method not in METHODS:
        return f"Unknown method {method!r} in the alternate request syntax."
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return "The alternate request syntax needs an application/x-www-form-urlencoded body."
    length = int(environ.get("CONTENT_LENGTH") or 0)
    form = parse_qs(environ["wsgi.input"].read(length).decode(), keep_blank_values=True)
    content = form.pop("content", [""])[0].encode()
    content_type = "application/json"
    params = {}
    for name, values in form.items():
        key = name.lower()
        if key in HEADERS:
            environ[HEADERS[key]] = values[0]
        elif key == "content-type":
            content_type = values[0]
        elif key == "content-length":
            continue
        else:
            params[name] = values[0]
    environ["REQUEST_METHOD"] = method
    environ["QUERY_STRING"] = urlencode(params)
    environ["CONTENT_TYPE"] = content_type if content else ""
    environ["CONTENT_LENGTH"] = str(len(content))
    environ["wsgi.input"] = io.BytesIO(content)
    return None


class AlternateRequestSyntax:
    def __init__(self, wsgi_app, prefix: str = "/xapi/"):
        self.wsgi_app, self.prefix = wsgi_app, prefix

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "").startswith(
                self.prefix) and "method=" in environ.get("QUERY_STRING", ""):
            error = rewrite(environ)
            if error:
                body = json.dumps({"error": {"code": 400, "message": error}}).encode()
                start_response("400 Bad Request", [
                    ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                    ("X-Experience-API-Version", "1.0.3")])
                return [body]
        return self.wsgi_app(environ, start_response)
