"""Paging for office lists: a page of rows with its position, and the page numbers a pager
shows. Pure: no Flask, no SQLAlchemy (the services count and slice, this does the arithmetic).

Lists are paged by ``LIMIT``/``OFFSET`` over an indexed order; a page costs the same at page 1
and at page 200 of 10,000 rows (the offset walks an index of a few thousand entries at most).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

#: rows per page of an office list
PER_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, the number of matching rows and where this page sits."""

    rows: Sequence[T]
    total: int
    number: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """1-based position of the first row shown (0 when there is none)."""
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    def window(self, around: int = 2) -> list[int | None]:
        """The page numbers to link: the first, the last and *around* on each side of this
        one; None marks a gap (shown as an ellipsis)."""
        return page_window(self.number, self.pages, around)


def clamp(requested: int, total: int, per_page: int = PER_PAGE) -> int:
    """The page to show for *requested*: past the end → the last page, below 1 → the first."""
    pages = max(1, -(-total // per_page))
    return min(max(1, requested), pages)


def offset(number: int, per_page: int = PER_PAGE) -> int:
    return (number - 1) * per_page


def page_window(number: int, pages: int, around: int = 2) -> list[int | None]:
    """``[1, None, 4, 5, 6, 7, 8, None, 200]`` for page 6 of 200."""
    wanted = {1, pages, *range(number - around, number + around + 1)}
    shown = sorted(n for n in wanted if 1 <= n <= pages)
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out
