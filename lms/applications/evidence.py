"""Evidence documents: checked by their content (``filetype``), stored outside the web root."""

from __future__ import annotations

import uuid
from pathlib import Path

from lms.errors import UserError
from lms.storage import StorageFull, write_atomically
from lms.uploads import UploadRefused, check_upload

#: what an evidence document may be, by the type its content shows → the stored suffix
ACCEPTED = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
#: the type a file name promises
PROMISED = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
            ".png": "image/png"}
#: under ``UPLOAD_DIR``
FOLDER = "applications"


class EvidenceError(UserError, ValueError):
    """A file refused: ``code`` is empty, too_large, type, mismatch or storage (disk full)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def check(filename: str, data: bytes, max_bytes: int) -> str:
    """Return the MIME type *data* really is, or raise EvidenceError.

    The content decides: a text file renamed ``.pdf`` is refused, and so is a PNG named ``.pdf``
    (the name and the content must agree, or the office would open the wrong viewer).
    """
    try:
        mime = check_upload(data, ("pdf", "jpeg", "png"), max_bytes).mime
    except UploadRefused as exc:
        if exc.code in ("empty", "too_large"):
            raise EvidenceError(exc.code, limit=max_bytes // (1024 * 1024)) from exc
        raise EvidenceError("type") from exc
    promised = PROMISED.get(Path(filename).suffix.lower())
    if promised and promised != mime:
        raise EvidenceError("mismatch", suffix=Path(filename).suffix.lower())
    return mime


def store(upload_dir: str, application_id: int, mime: str, data: bytes) -> str:
    """Write *data* under the upload folder and return its path relative to that folder."""
    relative = f"{FOLDER}/{application_id}/{uuid.uuid4().hex}{ACCEPTED[mime]}"
    target = Path(upload_dir) / relative
    try:
        write_atomically(target, data)
    except StorageFull as exc:
        raise EvidenceError("storage") from exc
    return relative
