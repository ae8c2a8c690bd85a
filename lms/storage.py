"""Writing uploaded files so that a full disk leaves nothing half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class StorageFull(OSError):
    """The file could not be written (disk full, quota, I/O error); nothing was left behind."""


def write_atomically(target: Path, data: bytes) -> None:
    """Write *data* to *target* through a temporary file renamed into place.

    Either the whole file is there afterwards or none of it: a failed write (ENOSPC, EDQUOT,
    EIO) removes the partial temporary file and raises :class:`StorageFull`.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise StorageFull(exc.errno, exc.strerror or str(exc)) from exc
