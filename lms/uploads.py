"""Uploaded files checked by what they are (their leading bytes), not by their names, and
stored files removed only when the database says so.

``check_upload(stream, allowed={"pdf", "jpeg", "png"}, max_bytes=...)`` reads at most
*max_bytes* (+1, to notice more) and returns a :class:`CheckedUpload`, or raises
:class:`UploadRefused` whose ``code`` is ``too_large``, ``empty``, ``unknown_type``,
``not_allowed`` or (given ``filename=``) ``mismatch``. ``delete_after_commit(session, path)``
and ``delete_after_rollback(session, path)`` remove a file once the transaction that stopped
(or failed to start) using it ended.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

import filetype
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.errors import UserError

#: names people write for a type → the extension filetype reports for it
_ALIASES = {"jpeg": "jpg", "jpe": "jpg", "tiff": "tif"}


def canonical(kind: str) -> str:
    """The one name of a file type: ``"JPEG"`` and ``"jpg"`` are both ``"jpg"``."""
    kind = kind.lower().lstrip(".")
    return _ALIASES.get(kind, kind)


class UploadRefused(UserError, ValueError):
    """An upload that is not accepted; ``code`` says why (see the module docstring)."""

    def __init__(self, code: str, detected: str | None = None):
        super().__init__(code)
        self.code = code
        self.detected = detected


@dataclass(frozen=True)
class CheckedUpload:
    """An accepted upload: its bytes and the type its content shows."""

    data: bytes
    kind: str  #: canonical extension, e.g. "pdf", "jpg", "docx"
    mime: str

    @property
    def size(self) -> int:
        return len(self.data)


def check_upload(stream: IO[bytes] | bytes, allowed: Iterable[str], max_bytes: int,
                 filename: str | None = None) -> CheckedUpload:
    """Return the upload if its content is one of *allowed* types and at most *max_bytes*;
    with *filename*, its extension must name that same type (``mismatch`` otherwise: a PNG
    called ``.pdf`` would open in the wrong viewer)."""
    data = stream if isinstance(stream, bytes) else stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused("too_large")
    if not data:
        raise UploadRefused("empty")
    guess = filetype.guess(data)
    if guess is None:
        raise UploadRefused("unknown_type")
    kind, mime = canonical(guess.extension), guess.mime
    if kind == "zip":  # filetype knows Office files only by their first entries
        kind, mime = _office_kind(data) or (kind, mime)
    if kind not in {canonical(a) for a in allowed}:
        raise UploadRefused("not_allowed", kind)
    if filename is not None and canonical(os.path.splitext(filename)[1]) != kind:
        raise UploadRefused("mismatch", kind)
    return CheckedUpload(data, kind, mime)


#: Office Open XML: the part that makes a zip archive a document of each kind
_OFFICE_PARTS = {
    "word/document.xml": ("docx", "application/vnd.openxmlformats-officedocument."
                                  "wordprocessingml.document"),
    "xl/workbook.xml": ("xlsx", "application/vnd.openxmlformats-officedocument."
                                "spreadsheetml.sheet"),
    "ppt/presentation.xml": ("pptx", "application/vnd.openxmlformats-officedocument."
                                     "presentationml.presentation"),
}


def _office_kind(data: bytes) -> tuple[str, str] | None:
    """The Office Open XML type of a zip archive, whatever order its entries are in."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((found for part, found in _OFFICE_PARTS.items() if part in names), None)


def delete_after_commit(session: Session, path: str | os.PathLike) -> None:
    """Remove *path* when *session* commits (a replaced file); keep it on rollback."""
    session.info.setdefault("lms_delete_on_commit", []).append(os.fspath(path))


def delete_after_rollback(session: Session, path: str | os.PathLike) -> None:
    """Remove *path* if *session* rolls back (a new file nothing will point to)."""
    session.info.setdefault("lms_delete_on_rollback", []).append(os.fspath(path))


def _remove(paths: list[str]) -> None:
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop("lms_delete_on_rollback", None)
    _remove(session.info.pop("lms_delete_on_commit", []))


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction ended
        session.info.pop("lms_delete_on_commit", None)
        _remove(session.info.pop("lms_delete_on_rollback", []))
