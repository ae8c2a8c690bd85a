"""Rendering module bodies with links and images resolved relative to the module file."""

from __future__ import annotations

import posixpath

from flask import url_for
from markupsafe import Markup

from lms.caches import app_cache
from lms.content.markdown import render


def resolver(source_path: str):
    """Return a function mapping a link written in *source_path* to a URL the browser can use.

    ``source_path`` is relative to the content root (``modules/a01.md``); a relative link such
    as ``../media/figure.png`` resolves to ``media/figure.png`` under the media route. A link
    that would leave the content root is left as ``#``.
    """
    base = posixpath.dirname(source_path)

    def resolve(href: str) -> str:
        target, _, fragment = href.partition("#")
        joined = posixpath.normpath(posixpath.join(base, target))
        if joined.startswith("..") or joined.startswith("/"):
            return "#"
        if joined.startswith("modules/") and joined.endswith(".md"):
            slug = posixpath.basename(joined)[:-3]
            url = url_for("course.module_page", slug=slug)
        else:
            url = url_for("course.media", path=joined)
        return url + ("#" + fragment if fragment else "")

    return resolve


def module_html(body: str, source_path: str) -> Markup:
    """Render a module body to safe HTML (raw HTML in the source is escaped).

    Kept per application: the HTML changes only with the body (the key) and the app's URLs.
    """
    cache = app_cache("module_html", 256)
    key = (source_path, body)
    html = cache.get(key)
    if html is None:
        html = render(body, resolver(source_path))
        cache.put(key, html)
    return Markup(html)  # noqa: S704 - markdown-it, html off
