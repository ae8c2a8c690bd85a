"""Baking: the signed credential carried inside a PNG badge image (Open Badges 3.0 §5.3).

The VC-JWT goes into an ``iTXt`` chunk with the keyword ``openbadgecredential``, uncompressed,
placed before the image data; a baked image holds exactly one such chunk.
"""

from __future__ import annotations

import io
import math
import zlib
from functools import lru_cache

import png

KEYWORD = b"openbadgecredential"


@lru_cache(maxsize=1)
def badge_image() -> bytes:
    """The unbaked badge: a navy ring around a gold disc, 256 × 256 RGBA, drawn once."""
    size, rows = 256, []
    centre = (size - 1) / 2
    for y in range(size):
        row: list[int] = []
        for x in range(size):
            r = math.hypot(x - centre, y - centre)
            if r <= 96:
                row += (214, 168, 54, 255)  # gold
            elif r <= 104:
                row += (255, 255, 255, 255)
            elif r <= 124:
                row += (23, 43, 94, 255)  # navy
            elif r <= 127:
                alpha = int(255 * max(0.0, 127 - r) / 3)
                row += (23, 43, 94, alpha)
            else:
                row += (0, 0, 0, 0)
        rows.append(row)
    out = io.BytesIO()
    png.Writer(size, size, greyscale=False, alpha=True).write(out, rows)
    return out.getvalue()


def bake(image: bytes, token: str) -> bytes:
    """Return *image* with *token* baked in (any earlier credential chunk replaced)."""
    chunk = KEYWORD + b"\x00\x00\x00" + b"\x00" + b"\x00" + token.encode("utf-8")
    chunks = [(kind, data) for kind, data in png.Reader(bytes=image).chunks()
              if not (kind == b"iTXt" and data.startswith(KEYWORD + b"\x00"))]
    at = next(i for i, (kind, _) in enumerate(chunks) if kind == b"IDAT")
    chunks.insert(at, (b"iTXt", chunk))
    out = io.BytesIO()
    png.write_chunks(out, chunks)
    return out.getvalue()


def unbake(image: bytes) -> str | None:
    """Return the credential baked in a PNG, or None when it carries none."""
    try:
        for kind, data in png.Reader(bytes=image).chunks():
            if kind != b"iTXt" or not data.startswith(KEYWORD + b"\x00"):
                continue
            rest = data[len(KEYWORD) + 1:]
            compressed = rest[0]
            rest = rest[2:]
            _lang, _, rest = rest.partition(b"\x00")
            _translated, _, text = rest.partition(b"\x00")
            if compressed:
                text = zlib.decompress(text)
            return text.decode("utf-8")
    except (png.Error, ValueError, IndexError, UnicodeDecodeError):
        return None
    return None
