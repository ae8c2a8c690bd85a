"""The CSV writer, streamed chunk by chunk (the XLSX writer, streamed too, is ``xlsx.py``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from lms.exports.rules import csv_cell

BOM = "\ufeff"
CHUNK_ROWS = 500


def csv_chunks(headers: list[str], rows: Iterable[tuple], tz: ZoneInfo) -> Iterator[bytes]:
    """Yield the CSV in UTF-8 with a BOM (Excel then reads Japanese right), CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(headers)
    for n, row in enumerate(rows, 1):
        writer.writerow([csv_cell(v, tz) for v in row])
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
