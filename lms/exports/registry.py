"""The registry of exportable tables: each names its columns and yields its rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from lms.exports.rules import is_special_care


@dataclass(frozen=True)
class Column:
    #: stable key (English, used in code and tests)
    key: str
    #: English header, marked with N_ and translated (Japanese) when exported
    header: str


@dataclass(frozen=True)
class ExportTable:
    """An exportable table; *rows* receives the request's filters and yields tuples, lazily
    (a generator over ``yield_per`` keeps memory flat however large the table)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[Mapping[str, str]], Iterable[tuple]]


_TABLES: dict[str, ExportTable] = {}


def register(table: ExportTable) -> ExportTable:
    """Make *table* exportable; refuses a column of special-care data (never exported)."""
    bad = [c.key for c in table.columns if is_special_care(c.key)]
    if bad:
        raise ValueError(f"special-care data is never exported: {bad}")
    _TABLES[table.name] = table
    return table


def tables() -> dict[str, ExportTable]:
    """Every registered table by name (features register theirs when their views load)."""
    return _TABLES
