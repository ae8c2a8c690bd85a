"""xAPI 1.0.3 alternate request syntax (Communication §1.3), as WSGI middleware.

Browsers that cannot send custom headers or PUT across origins POST to a resource with
``?method=PUT`` (or GET, DELETE, HEAD, POST) and put the headers, the parameters and the
body (``content``) in an ``application/x-www-form-urlencoded`` form. The middleware turns
such a request back into the ordinary one before Flask sees it, so the views stay unaware.

The form is read only up to the size limit (``MAX_CONTENT_LENGTH``, 413 beyond it), and
credentials are checked before the form's content is used: a real ``Authorization`` header
before the body is read at all, one inside the form as soon as the form is parsed. xAPI 2.0
removed the syntax, so a request that says version 2.x is refused.
"""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qs, urlencode

from lms.lrs.protocol import VERSION, LrsError, client_for

METHODS = {"GET", "PUT", "POST", "DELETE", "HEAD"}
HEADERS = {"authorization": "HTTP_AUTHORIZATION",
           "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
           "if-match": "HTTP_IF_MATCH", "if-none-match": "HTTP_IF_NONE_MATCH",
           "accept-language": "HTTP_ACCEPT_LANGUAGE"}
CHUNK = 64 * 1024


def read_bounded(environ: dict, limit: int) -> bytes:
    """Read the request body, refusing (413) as soon as it passes *limit* bytes."""
    declared = environ.get("CONTENT_LENGTH")
    try:
        length = int(declared) if declared else None
    except ValueError:
        raise LrsError(400, "The Content-Length header is not a number.") from None
    if length is not None and length > limit:
        raise LrsError(413, f"The request body is larger than {limit} bytes.")
    stream, chunks, size = environ["wsgi.input"], [], 0
    while length is None or size < length:
        chunk = stream.read(CHUNK if length is None else min(CHUNK, length - size))
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise LrsError(413, f"The request body is larger than {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _refuse_version_2(version: str | None) -> None:
    if version and version.strip().startswith("2."):
        raise LrsError(400, "xAPI 2.0 has no alternate request syntax: send the method, "
                            "headers and body as an ordinary request.")


def rewrite(environ: dict, app) -> None:
    """Rewrite *environ* in place from the alternate syntax, or raise LrsError."""
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    method = query.get("method", [""])[0].upper()
    if set(query) != {"method"}:
        raise LrsError(400, "With the alternate request syntax, method is the only query "
                            "parameter.")
    if method not in METHODS:
        raise LrsError(400, f"Unknown method {method!r} in the alternate request syntax.")
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        raise LrsError(400, "The alternate request syntax needs an "
                            "application/x-www-form-urlencoded body.")
    _refuse_version_2(environ.get("HTTP_X_EXPERIENCE_API_VERSION"))
    if environ.get("HTTP_AUTHORIZATION"):
        _authenticate(app, environ["HTTP_AUTHORIZATION"])
    body = read_bounded(environ, app.config["MAX_CONTENT_LENGTH"])
    try:
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict",
                        max_num_fields=1000)
    except (UnicodeDecodeError, ValueError):
        raise LrsError(400, "The form is not valid UTF-8 application/x-www-form-urlencoded.") \
            from None
    fields = {name.lower(): values[0] for name, values in form.items()}
    _refuse_version_2(fields.get("x-experience-api-version"))
    if "authorization" in fields:
        _authenticate(app, fields["authorization"])
    elif not environ.get("HTTP_AUTHORIZATION"):
        raise LrsError(401, "HTTP Basic credentials are required.",
                       {"WWW-Authenticate": 'Basic realm="xAPI"'})
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


def _authenticate(app, header: str) -> None:
    with app.app_context():
        client_for(header)


class AlternateRequestSyntax:
    def __init__(self, wsgi_app, app, prefix: str = "/xapi/"):
        self.wsgi_app, self.app, self.prefix = wsgi_app, app, prefix

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "").startswith(
                self.prefix) and "method=" in environ.get("QUERY_STRING", ""):
            try:
                rewrite(environ, self.app)
            except LrsError as exc:
                body = json.dumps({"error": {"code": exc.status, "message": exc.message}}
                                  ).encode()
                start_response(f"{exc.status} {_REASONS.get(exc.status, 'Error')}", [
                    ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                    ("X-Experience-API-Version", VERSION), *exc.headers.items()])
                return [body]
        return self.wsgi_app(environ, start_response)


_REASONS = {400: "Bad Request", 401: "Unauthorized", 413: "Content Too Large"}
