"""The one Markdown configuration for everything the LMS renders. No Flask.

CommonMark with raw HTML off (so ``<script>`` in a file comes out as text), tables,
strikethrough, footnotes and four admonition containers (``::: note``, ``::: warning``,
``::: tip``, ``::: important``). markdown-it's own link validation stays on, so
``javascript:`` and most ``data:`` links never become links.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

ADMONITIONS = ("note", "warning", "tip", "important")
#: the title of an admonition written without one, e.g. a bare ``::: note``
DEFAULT_TITLES: Mapping[str, str] = MappingProxyType(
    {"note": "補足", "warning": "注意", "tip": "ヒント", "important": "重要"})

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_EXTERNAL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
#: ids the footnote plugin gives its own elements; a heading must not take one
_FOOTNOTE_ID = re.compile(r"fn(?:ref)?\d+(?::\d+)?")


def slugify(text: str) -> str:
    """Return a fragment id for a heading: lower case, words joined by '-', Japanese kept."""
    # NFKC makes full-width letters and the ideographic space plain, so ids are predictable
    plain = unicodedata.normalize("NFKC", text).strip().lower()
    slug = re.sub(r"\s+", "-", re.sub(r"[^\w\s-]", "", plain))
    return slug.strip("-") or "section"


def is_relative(url: str) -> bool:
    """True for a link to a file next to the document: no scheme, not '/…', not '#…'."""
    return bool(url) and not _SCHEME.match(url) and not url.startswith(("/", "#", "\\"))


def _heading_text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or ()
                   if child.type in ("text", "code_inline"))


def _heading_ids(state: StateCore) -> None:
    """Give every heading a unique ``id`` from its text (``概要``, ``概要-1``, …)."""
    used: set[str] = set()
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        base = slugify(_heading_text(state.tokens[index + 1]))
        slug, n = base, 0
        while slug in used or _FOOTNOTE_ID.fullmatch(slug):
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        token.attrSet("id", slug)


def _links(state: StateCore) -> None:
    """Resolve relative hrefs and srcs through ``env["resolve_url"]``; open external links apart."""
    resolve: Callable[[str], str] | None = state.env.get("resolve_url")
    for block in state.tokens:
        for token in block.children or ():
            attr = {"link_open": "href", "image": "src"}.get(token.type)
            if attr is None:
                continue
            url = str(token.attrGet(attr) or "")
            if resolve is not None and is_relative(url):
                # markdown-it percent-encodes; the resolver wants the path as written
                token.attrSet(attr, resolve(unquote(url)))
            elif attr == "href" and _EXTERNAL.match(url):
                token.attrSet("rel", "noopener noreferrer")
                token.attrSet("target", "_blank")


def _admonition(name: str) -> tuple[Callable[..., bool], Callable[..., str]]:
    def validate(params: str, *_: Any) -> bool:
        # str.split() also splits on the ideographic space: "::: note　大切なこと" works
        return (params.split(maxsplit=1) or [""])[0] == name

    def render(_self: Any, tokens: Sequence[Token], index: int, _options: Any,
               env: dict[str, Any]) -> str:
        token = tokens[index]
        if token.nesting < 0:
            return "</aside>\n"
        parts = token.info.split(maxsplit=1)
        titles = env.get("admonition_titles") or DEFAULT_TITLES
        title = parts[1].strip() if len(parts) > 1 else titles.get(name, DEFAULT_TITLES[name])
        return (f'<aside class="admonition admonition-{name}" role="note">\n'
                f'<p class="admonition-title">{escapeHtml(title)}</p>\n')

    return validate, render


def _configured() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    for name in ADMONITIONS:
        validate, render_rule = _admonition(name)
        md.use(container_plugin, name, validate=validate, render=render_rule)
    md.core.ruler.push("lms_heading_ids", _heading_ids)
    md.core.ruler.push("lms_links", _links)
    return md


#: the single instance; safe to share, as markdown-it keeps per-document state in ``env``
MARKDOWN = _configured()


def render(
    text: str,
    resolve_url: Callable[[str], str] | None = None,
    titles: Mapping[str, str] | None = None,
) -> str:
    """Return *text* rendered as HTML that is safe to insert into a page.

    *resolve_url* maps each relative link href and image src (as written, e.g.
    ``../media/figure.png``) to the URL to use; *titles* overrides the default admonition
    titles (``{"note": "Note", …}``), e.g. for another interface language.
    """
    return MARKDOWN.render(text, {"resolve_url": resolve_url, "admonition_titles": titles})


def headings(text: str) -> list[tuple[int, str, str]]:
    """Return ``(level, text, id)`` of the h2 and h3 headings, ids as in :func:`render`."""
    tokens = MARKDOWN.parse(text, {})
    return [(int(token.tag[1]), _heading_text(tokens[i + 1]), str(token.attrGet("id")))
            for i, token in enumerate(tokens)
            if token.type == "heading_open" and token.tag in ("h2", "h3")]
