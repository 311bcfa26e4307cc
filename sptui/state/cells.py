"""Cell texts of a keyed table's rows: formatted column by column, memoised, cut, and measured.

A RowStore (rowstore.py) owns one CellFormatter: it hands it the rows to draw or index, and reads the column
widths, which only grow as wider texts are met.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import cast

from sptui.state.columns import Column
from sptui.state.format import cell_width, inert

BULK_ROWS = 10_000  # formatting this many rows at once pauses the cyclic GC (see gc_paused)
MEMO_LIMIT = 50_000  # formatted texts kept per column (see _texts); beyond that the memo starts afresh
_MEMO_TYPES = (str, int)
_MEMO_TRIAL = 1_000  # rows formatted at once that tell whether a column's values repeat
_ARROW_ROOM = 2  # " ▲" after a sorted column's label
HARD_LIMIT = 256  # cells kept of any value: enough to read, never a runaway column


@contextmanager
def gc_paused(active: bool) -> Iterator[None]:
    """Keep the cyclic garbage collector out of a bulk format.

    Formatting 200k rows allocates millions of strings and tuples (none of them in cycles); each allocation
    burst triggers collections that walk every live object, including the caller's row dicts, which
    about doubled the load time of a large table. Collection resumes right after, as usual.
    """
    if not active or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class CellFormatter:
    """The cell texts of rows in given columns, and the columns' widths (the label or the widest text yet)."""

    def __init__(self, columns: tuple[Column, ...], on_widths_changed: Callable[[], object] | None = None) -> None:
        """`on_widths_changed` is called when formatting made a column wider."""
        self._columns = columns
        last = columns[-1]
        # A left-aligned last column without a fixed width takes the screen's spare width, so it keeps more
        # text than its max_width and is cut when drawn; a right-aligned one would drift away from its label.
        self.flex_last = last.width is None and last.align == "left"
        self._cell_columns = [
            self._cell_column(column, is_last=index == len(columns) - 1) for index, column in enumerate(columns)
        ]
        self.widths = [self._initial_width(column) for column in columns]
        self._on_widths_changed = on_widths_changed
        self._memos: list[dict[object, str] | None] = [{} for _ in columns]  # None: values mostly distinct

    def _cell_column(self, column: Column, *, is_last: bool) -> Column:
        """The column as cells are cut: no cell is kept wider than HARD_LIMIT (a runaway description must not
        make a column thousands of cells wide), and the flexible last column keeps up to that much."""
        if column.width is None and (column.max_width is None or (is_last and self.flex_last)):
            return replace(column, max_width=max(HARD_LIMIT, column.min_width))
        return column

    @staticmethod
    def _initial_width(column: Column) -> int:
        if column.width is not None:
            return column.width
        width = max(column.min_width, cell_width(inert(column.label)) + _ARROW_ROOM)
        return min(width, column.max_width) if column.max_width is not None else width

    def format_rows(self, keys: Sequence[Hashable], records: Sequence[Mapping[str, object]]) -> list[tuple[str, ...]]:
        """The cells of the rows `records` (keyed `keys`), formatted column by column (tight loops); columns grow
        to fit."""
        columns: list[list[str]] = []
        grew = False
        for index, (column, cell_column) in enumerate(zip(self._columns, self._cell_columns, strict=True)):
            field = column.key
            values = list(keys) if column.of_key else [record.get(field) for record in records]
            texts, fresh = self._texts(index, cell_column, values)
            columns.append(texts)
            if column.width is None and fresh:  # texts met before were measured then
                widest = max(map(len, fresh))
                if not all(map(str.isascii, fresh)):  # rare: only then measure cells one by one
                    widest = max(widest, *map(cell_width, fresh))
                widest = min(widest, column.max_width or HARD_LIMIT)
                if widest > self.widths[index]:
                    self.widths[index] = widest
                    grew = True
        if grew and self._on_widths_changed is not None:
            self._on_widths_changed()
        return list(zip(*columns, strict=True))

    def _texts(self, index: int, column: Column, values: list[object]) -> tuple[list[str], list[str]]:
        """The cell texts of `values` in column `index`, and those formatted now (not found in the column's memo).

        Values repeat a lot (200k objects: a few hundred volume names, one size per volume, a handful of
        states), so each distinct text or integer is formatted once and looked up after that. Other types
        are formatted every time: a memo keyed on them could confuse 1, 1.0 and True, and lists are unhashable.
        A column whose values turn out mostly distinct (ids, names) stops using the memo: there it only costs.
        """
        memo = self._memos[index]
        if memo is None:
            cells = column.cells(values)
            return cells, cells
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        get = memo.get
        texts: list[str | None] = [get(value) if type(value) in _MEMO_TYPES else None for value in values]
        missing = [position for position, text in enumerate(texts) if text is None]
        if not missing:
            return cast("list[str]", texts), []
        keyed = [position for position in missing if type(values[position]) in _MEMO_TYPES]
        fresh: list[str] = []
        if keyed:
            distinct = list(dict.fromkeys(values[position] for position in keyed))
            if len(values) >= _MEMO_TRIAL and len(distinct) > len(values) // 2:
                self._memos[index] = None
            formatted = column.cells(distinct)
            memo.update(zip(distinct, formatted, strict=True))
            fresh += formatted
            for position in keyed:
                texts[position] = memo[values[position]]
        if len(keyed) < len(missing):
            others = [position for position in missing if type(values[position]) not in _MEMO_TYPES]
            formatted = column.cells([values[position] for position in others])
            fresh += formatted
            for position, text in zip(others, formatted, strict=True):
                texts[position] = text
        return cast("list[str]", texts), fresh  # every None is filled in above

    def memo_sizes(self) -> tuple[int | None, ...]:
        """Texts memoised per column (None: the column stopped memoising, its values being mostly distinct)."""
        return tuple(None if memo is None else len(memo) for memo in self._memos)
