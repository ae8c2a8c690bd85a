"""The certificate PDF (認定証): an A4 page from an HTML/CSS template, rendered by WeasyPrint
with the IPAex Mincho font. A missing font is an error, never a PDF of empty boxes."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import segno
from flask import current_app

from lms.certificates import rules

#: the family fontconfig must resolve to a file for the certificate to be printed
FONT_FAMILY = "IPAexMincho"


class FontMissing(RuntimeError):
    """The certificate font is not installed (Debian: ``apt-get install fonts-ipaexfont``)."""


@lru_cache(maxsize=4)
def _font_from_fontconfig(family: str) -> str | None:
    if shutil.which("fc-list") is None:
        return None
    out = subprocess.run(["fc-list", f":family={family}", "file"], capture_output=True,
                         text=True, check=False).stdout
    files = sorted(line.strip().rstrip(":") for line in out.splitlines() if line.strip())
    return files[0] if files else None


def font_file() -> str:
    """The path of the certificate font: the ``CERT_FONT_FILE`` setting, else fontconfig's
    IPAex Mincho; raise :class:`FontMissing` when neither is a readable file."""
    path = current_app.config.get("CERT_FONT_FILE") or _font_from_fontconfig(FONT_FAMILY)
    if not path or not os.path.isfile(path):
        raise FontMissing(f"certificate font not found ({path or FONT_FAMILY}); install "
                          "fonts-ipaexfont or set LMS_CERT_FONT_FILE")
    return path


@dataclass(frozen=True)
class Printed:
    """What goes on the certificate."""

    number: str
    name: str
    furigana: str
    certified_on: date
    valid_until: date
    issued_on: date
    verify_url: str
    kind: str


def qr_svg(url: str) -> str:
    """The QR code of *url* as an SVG data URI (error correction M, for print)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=4)


#: a renderer idle this long is dropped (its copy of the font under /tmp goes with it)
RENDERER_IDLE_SECONDS = 600.0


@dataclass
class _Renderer:
    """What every certificate of a process shares: WeasyPrint's font configuration and the
    stylesheet parsed once against it. Without it WeasyPrint makes a configuration per PDF,
    copying the 7.8 MB IPAex file under /tmp and loading it into fontconfig each time, with
    Pango's caches cold."""

    font_path: str
    font_config: Any
    stylesheet: Any
    used_at: float


_renderer: _Renderer | None = None
#: fontconfig and Pango objects are not shared between threads: one certificate at a time
_lock = threading.Lock()


def _shared_renderer(font_path: str) -> _Renderer:
    global _renderer
    import weasyprint  # heavy: loaded on the first certificate, not at app start
    from weasyprint.text.fonts import FontConfiguration

    now = time.monotonic()
    if (_renderer is None or _renderer.font_path != font_path
            or now - _renderer.used_at > RENDERER_IDLE_SECONDS):
        font_config = FontConfiguration()
        css = current_app.jinja_env.get_template("certificates/certificate.css").render(
            font_url="file://" + font_path)
        _renderer = _Renderer(font_path, font_config,
                              weasyprint.CSS(string=css, font_config=font_config), now)
    _renderer.used_at = now
    return _renderer


@atexit.register
def _drop_renderer() -> None:
    """Forget the shared renderer while the interpreter can still remove its font copy."""
    global _renderer
    _renderer = None


def render(printed: Printed) -> bytes:
    """The A4 PDF of *printed*."""
    import weasyprint

    # Straight from the Jinja environment: the certificate is Japanese whatever the viewer's
    # language, and is printed by CLI jobs too (no request, no context processors).
    html = current_app.jinja_env.get_template("certificates/certificate.html").render(
        c=printed, era=rules.japanese_date, qr=qr_svg(printed.verify_url),
        agency=current_app.config["CERT_AGENCY_TITLE"])
    path = font_file()
    with _lock:
        shared = _shared_renderer(path)
        return weasyprint.HTML(string=html, base_url=current_app.root_path).write_pdf(
            stylesheets=[shared.stylesheet], font_config=shared.font_config)


def sha256(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()
