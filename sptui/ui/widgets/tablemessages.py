"""The messages a VirtualTable posts; each carries the table, so `@on(VirtualTable.X, "#id")` selectors work.

They are VirtualTable's (VirtualTable.RowSelected and so on); `namespace` keeps their handler names
(on_virtual_table_row_selected) as they were when the classes were nested in it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from .table import VirtualTable


class _TableMessage(Message):
    """A message from one table; `control` makes `@on(..., "#id")` selectors work."""

    def __init__(self, table: VirtualTable) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> VirtualTable:
        return self.table


class RowHighlighted(_TableMessage, namespace="virtual_table"):
    """The cursor is on a different key (moved, or its row went away); None when no row is shown."""

    def __init__(self, table: VirtualTable, key: Hashable | None) -> None:
        super().__init__(table)
        self.key = key


class RowSelected(_TableMessage, namespace="virtual_table"):
    """The user chose the cursor's row (enter or a double click): open its details."""

    def __init__(self, table: VirtualTable, key: Hashable) -> None:
        super().__init__(table)
        self.key = key


class ColumnsChanged(_TableMessage, namespace="virtual_table"):
    """How many columns the width hides changed (or the wide view was toggled): the pane's title says so."""

    def __init__(self, table: VirtualTable, hidden: int, wide: bool) -> None:
        super().__init__(table)
        self.hidden = hidden
        self.wide = wide


class SortChanged(_TableMessage, namespace="virtual_table"):
    """The sort column or direction changed (`column` None means the rows' own order)."""

    def __init__(self, table: VirtualTable, column: str | None, reverse: bool) -> None:
        super().__init__(table)
        self.column = column
        self.reverse = reverse
