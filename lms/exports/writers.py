"""Writers: CSV streamed chunk by chunk; XLSX written row by row (openpyxl write-only)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lms.exports.rules import csv_cell, xlsx_value

BOM = "\ufeff"
CHUNK_ROWS = 500
DATE_FORMAT = "yyyy/mm/dd"
DATETIME_FORMAT = "yyyy/mm/dd hh:mm"


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


def xlsx_file(title: str, headers: list[str], rows: Iterable[tuple], tz: ZoneInfo):
    """Write the workbook to a temporary file (rows never held in memory) and return it,
    rewound. Every cell's type is set explicitly: text is never read as a formula."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    bold = Font(bold=True)

    def header_cell(text: str) -> WriteOnlyCell:
        cell = _text_cell(sheet, text)
        cell.font = bold
        return cell

    sheet.append([header_cell(h) for h in headers])
    for row in rows:
        sheet.append([_cell(sheet, v, tz) for v in row])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    book.save(out)
    out.seek(0)
    return out


def _text_cell(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
    return cell


def _cell(sheet, value, tz: ZoneInfo) -> WriteOnlyCell:
    value, kind = xlsx_value(value, tz)
    if kind == "s":
        return _text_cell(sheet, value)
    cell = WriteOnlyCell(sheet, value=value)
    if kind == "d":
        cell.number_format = DATETIME_FORMAT if hasattr(value, "hour") else DATE_FORMAT
    return cell
