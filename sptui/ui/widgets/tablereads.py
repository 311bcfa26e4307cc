"""What a VirtualTable tells about its rows, read from its RowStore: the table's public, read-only state."""

from __future__ import annotations

from collections.abc import Hashable

from sptui.state.columns import Column
from sptui.state.rowstore import Row, RowStore


class RowStoreReads:
    """The read-only half of VirtualTable's API, answered from its store (which columns fit is the widget's)."""

    store: RowStore

    @property
    def columns(self) -> tuple[Column, ...]:
        """The visible columns, in display order."""
        return self.store.columns

    @property
    def column_widths(self) -> tuple[int, ...]:
        """Current content widths (before the last column stretches to the edge); they only grow."""
        return self.store.widths

    @property
    def sort_key(self) -> str | None:
        """The sort column's key, or None for the rows' own order."""
        return self.store.sort_key

    @property
    def sort_reverse(self) -> bool:
        return self.store.sort_reverse

    @property
    def filter_text(self) -> str:
        return self.store.filter_text

    @property
    def cursor_key(self) -> Hashable | None:
        """The key under the cursor, None when no row is shown."""
        return self.store.cursor_key

    @property
    def cursor_row(self) -> int:
        """The cursor's position among the shown (sorted, filtered) rows."""
        return self.store.cursor_row

    @property
    def row_count(self) -> int:
        """Rows shown after the filter."""
        return self.store.row_count

    @property
    def total_count(self) -> int:
        """All rows, filtered or not."""
        return self.store.total_count

    def visible_keys(self) -> list[Hashable]:
        """The keys the filter lets through, in display order."""
        return self.store.visible_keys()

    @property
    def indexing(self) -> bool:
        """True while rows wait to be indexed for the filter (a filter typed meanwhile indexes them at once)."""
        return self.store.indexing

    def row(self, key: Hashable) -> Row | None:
        """The row last applied for `key`."""
        return self.store.row(key)

    def cells(self, key: Hashable) -> tuple[str, ...] | None:
        """The formatted, inert cell texts of `key`'s row (visible columns), as drawn."""
        return self.store.cells(key)
