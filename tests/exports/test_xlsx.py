"""The streamed XLSX writer, read back with openpyxl (as a spreadsheet would open it)."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from lms.exports import xlsx
from lms.exports.xlsx import column_letters, sheet_name, xlsx_chunks
from lms.timeutil import TOKYO


def _book(rows, headers=("名前", "数", "日", "時刻", "空", "真偽"), title="受講生"):
    chunks = list(xlsx_chunks(title, list(headers), rows, TOKYO))
    return chunks, load_workbook(io.BytesIO(b"".join(chunks)))


def test_cells_keep_their_types_and_text_is_never_a_formula():
    rows = [("=1+1", 42, date(2026, 4, 1), datetime(2026, 3, 1, 15, 30, 9, tzinfo=UTC), None,
             True),
            ("a < b & c > \"d\"\x07", 2.5, None, None, "", False)]
    _, book = _book(rows)
    sheet = book.active
    assert sheet.title == "受講生"
    cells = list(sheet.iter_rows())
    assert [c.value for c in cells[0]] == ["名前", "数", "日", "時刻", "空", "真偽"]
    assert all(c.font.b for c in cells[0])
    first = cells[1]
    assert first[0].value == "'=1+1" and first[0].data_type == "s"
    assert first[1].value == 42 and first[1].data_type == "n"
    assert first[2].value == datetime(2026, 4, 1) and first[2].number_format == "yyyy/mm/dd"
    assert first[3].value == datetime(2026, 3, 2, 0, 30)  # Tokyo wall clock, minutes
    assert first[3].number_format == "yyyy/mm/dd hh:mm"
    assert first[4].value is None and first[5].value == 1
    second = cells[2]
    assert second[0].value == 'a < b & c > "d"'  # escaped, the control character dropped
    assert second[1].value == 2.5 and second[5].value == 0


def test_the_first_bytes_leave_before_the_last_row_is_read():
    total = xlsx.CHUNK_ROWS * 20
    read = []

    def rows():
        for i in range(total):
            read.append(i)
            yield (hashlib.sha256(str(i).encode()).hexdigest(), i)  # little to compress

    stream = xlsx_chunks("t", ["名前", "番号"], rows(), TOKYO)
    first = next(stream)
    assert first.startswith(b"PK") and len(read) < total
    rest = b"".join(stream)
    values = list(load_workbook(io.BytesIO(first + rest)).active.values)
    assert len(values) == 1 + total and values[-1][1] == total - 1


def test_an_empty_table_is_a_header_only_sheet():
    _, book = _book([], headers=("名前",))
    assert list(book.active.values) == [("名前",)]


def test_columns_past_z_and_sheet_names_excel_accepts():
    assert [column_letters(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"]
    assert sheet_name("a/b:c*d?[e]") == "a b c d  e "
    assert sheet_name("x" * 40) == "x" * 31 and sheet_name("") == "Sheet1"
    headers = [f"h{i}" for i in range(30)]
    _, book = _book([tuple(range(30))], headers=headers, title="a/b")
    assert book.active.title == "a b"
    assert list(book.active.values)[1] == tuple(range(30))
