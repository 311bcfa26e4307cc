"""VirtualTable: the widget over a RowStore; it paints only the lines on screen and formats only the rows it draws.

Textual's DataTable builds per-row structures (~105 µs a row: 20k volumes take 2 s to load) and is cleared and
refilled on every poll. The rows, their order, the filter and the cursor's key live in `state.rowstore.RowStore`
(pure, unit-tested); this widget paints a screen of them through the Line API, moves the cursor, scrolls,
answers clicks, and paces the filter index: built a slice per step after the rows show (at once for a small
change, or when a filter is typed first), so the app paints and answers keys between steps.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import ClassVar, TypeAlias

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from sptui.state.cells import BULK_ROWS
from sptui.state.columns import Column
from sptui.state.fit import GAP, Fit, fit_columns, line_width, shrink_text
from sptui.state.format import inert, plural
from sptui.state.rowstore import ApplyResult, Row, RowStore, SortRank

from .tablelines import column_at, column_starts, header_labels, line_text, strip
from .tablemessages import ColumnsChanged, RowHighlighted, RowSelected, SortChanged
from .tablereads import RowStoreReads

__all__ = ["GAP", "ApplyResult", "VirtualTable"]

# Rows indexed for the filter per step (~0.1 s on a 2-core machine); a change of at most this many rows is
# indexed at once. Between steps the app paints and answers keys. The first step waits until the new rows
# have been painted (when the table is on screen), but not for ever.
INDEX_SLICE = 10_000
_INDEX_PAUSE = 0.02
_MAX_PAINT_WAITS = 25  # at most half a second


class VirtualTable(RowStoreReads, ScrollView, can_focus=True):
    """A virtual, keyed, sortable and filterable table; see `apply`, `sort_by` and `set_filter`."""

    ALLOW_SELECT = False  # a double click opens the row; it must not start a text selection

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="table.cursor_up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="table.cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="table.page_down"),
        Binding("home,g", "first_row", "First row", show=False, id="table.first_row"),
        Binding("end,G", "last_row", "Last row", show=False, id="table.last_row"),
        Binding("enter", "select_row", "Open", show=False, id="table.select"),
        Binding("s", "cycle_sort", "Sort", show=False, id="table.cycle_sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="table.reverse_sort"),
        Binding("w", "toggle_wide", "Wide view", show=False, id="table.wide"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--warn",
        "virtual-table--error",
        "virtual-table--muted",
    }

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        &:focus {
            background-tint: $foreground 5%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .virtual-table--header {
            background: $panel;
            color: $foreground;
            text-style: bold;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .virtual-table--warn {
            color: $warning;
        }
        & > .virtual-table--error {
            color: $error;
            text-style: bold;
        }
        & > .virtual-table--muted {
            color: $text-muted;
        }
    }
    """

    # The messages live in tablemessages.py; their handlers are still named on_virtual_table_*.
    RowHighlighted: TypeAlias = RowHighlighted
    RowSelected: TypeAlias = RowSelected
    ColumnsChanged: TypeAlias = ColumnsChanged
    SortChanged: TypeAlias = SortChanged

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        default_sort: tuple[str | None, bool] | None = None,
        sort_rank: SortRank | None = None,
        empty_text: str = "No rows.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """See RowStore for `default_sort` and `sort_rank`; `empty_text` is what an empty table says."""
        super().__init__(name=name, id=id, classes=classes)
        self.store = RowStore(
            columns, default_sort=default_sort, sort_rank=sort_rank, on_widths_changed=self._update_virtual_size
        )
        self.empty_text = empty_text
        self.last_apply = ApplyResult(0, 0, 0)
        self._index_armed = False
        self._unpainted = False  # rows were applied and the table has not been painted since
        self._paint_waits = 0
        self._settle: Callable[[], bool] | None = None  # see apply
        self._gc_held = False  # the cyclic collector kept out until a bulk load is painted (see _hold_gc)
        self._announced_key: Hashable | None = None  # the key of the last RowHighlighted
        self._paint: tuple[Style, list[int]] | None = None
        self.wide = False  # every column, scrolled sideways; else the columns that fit (see state.fit)
        self._fit = Fit(tuple(range(len(self.store.columns))), 0)
        self._fit_basis: tuple[object, ...] | None = None  # what the shown columns were chosen on (see _refit)
        self._applied = 0  # counts row changes: new data may choose other columns, scrolling may not
        self._painted = -1  # the _applied last drawn: the first paint of new rows chooses on the rows it formats
        self._announced_fit: tuple[int, bool] = (0, False)

    # --- public state ------------------------------------------------------------------------------------------

    @property
    def shown_columns(self) -> tuple[Column, ...]:
        """The columns drawn: all of them in the wide view, else those that fit the width (state.fit)."""
        columns = self.store.columns
        return tuple(columns[index] for index in self._fit.shown)

    @property
    def hidden_count(self) -> int:
        """Columns left out because the width has no room for them (0 in the wide view)."""
        return self._fit.hidden

    @property
    def settling(self) -> bool:
        """True while the rows' settling work (see apply) is left."""
        return self._settle is not None

    # --- data --------------------------------------------------------------------------------------------------

    def apply(
        self,
        rows: Mapping[Hashable, Row],
        levels: Mapping[Hashable, str] | None = None,
        settle: Callable[[], bool] | None = None,
    ) -> ApplyResult:
        """Show `rows` (key -> field mapping), changing only what differs from the last call (see RowStore.apply).

        `levels` marks rows "warn", "error" or "muted" for styling; colour is never the only signal, so the
        row should say the same in a state column. `settle` is work on the rows left until they are painted (a
        disk's objects sharing their repeated values): a slice per call, True while some is left; it runs a slice
        per step after the first paint, before the filter's index is built (a later apply without any keeps it).
        """
        if settle is not None:
            self._settle = settle
        store = self.store
        old_row, old_levels = store.cursor_row, store.levels
        result = store.apply(rows, levels)
        self.last_apply = result
        if result.added or result.changed or result.removed:
            self._moved(old_row)
        elif store.levels != old_levels:
            self.refresh()
        if result.added or result.changed:
            self._unpainted = True
        if result.added or result.changed or settle is not None:
            self._index_soon()
        if result.added + result.changed >= BULK_ROWS:
            self._hold_gc()
        return result

    def clear(self) -> None:
        """Drop every row (widths keep their size: the next data is most likely alike)."""
        self.apply({})

    # --- sort --------------------------------------------------------------------------------------------------

    def sort_by(self, column_key: str | None, reverse: bool = False) -> None:
        """Sort by a visible column (None: the rows' own order); the cursor stays on its key."""
        old_row = self.store.cursor_row
        if self.store.sort_by(column_key, reverse):
            self._moved(old_row)
            self.post_message(self.SortChanged(self, column_key, reverse))

    def cycle_sort(self) -> None:
        """Sort by the next column, ascending (see RowStore.next_sort)."""
        self.sort_by(self.store.next_sort(), reverse=False)

    def reverse_sort(self) -> None:
        """Flip the direction of the current sort (also of the rows' own order)."""
        self.sort_by(self.store.sort_key, not self.store.sort_reverse)

    def set_sort_rank(self, sort_rank: SortRank | None) -> None:
        """Change the primary rank (e.g. turn "unhealthy first" on or off)."""
        old_row = self.store.cursor_row
        self.store.set_sort_rank(sort_rank)
        self._moved(old_row)

    # --- filter ------------------------------------------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        """Show only the rows `text` matches (see state.rowfilter; "" shows all). Raises FilterError, and shows
        the rows as they were, when the text cannot be used (an invalid regex, an unknown column)."""
        old_row = self.store.cursor_row
        if self.store.indexing:  # the filter indexes every row now: settle them first, as the steps would have
            self._settled()
        if self.store.set_filter(text):
            self._moved(old_row)

    # --- cursor ------------------------------------------------------------------------------------------------

    def move_cursor_to_key(self, key: Hashable) -> bool:
        """Put the cursor on `key`; False (cursor unchanged) when the key is absent or filtered out."""
        row = self.store.row_of(key)
        if row is None:
            return False
        self._move_cursor(row)
        return True

    def action_cursor_up(self) -> None:
        self._move_cursor(self.store.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(self.store.cursor_row + 1)

    def action_page_up(self) -> None:
        page = self._body_height()
        self._scroll_rows(-page)
        self._move_cursor(self.store.cursor_row - page)

    def action_page_down(self) -> None:
        page = self._body_height()
        self._scroll_rows(page)
        self._move_cursor(self.store.cursor_row + page)

    def action_first_row(self) -> None:
        self._move_cursor(0)

    def action_last_row(self) -> None:
        self._move_cursor(self.store.row_count - 1)

    def action_select_row(self) -> None:
        key = self.store.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, key))

    def action_cycle_sort(self) -> None:
        self.cycle_sort()

    def action_reverse_sort(self) -> None:
        self.reverse_sort()

    def action_scroll_right(self) -> None:
        """A column at a time: the next column's left edge comes to rest against the key column."""
        if not self.allow_horizontal_scroll:
            raise SkipAction()
        x = round(self.scroll_x)
        edge = next((start for start in self._column_starts() if start > x), self.max_scroll_x)
        self.scroll_to(x=min(edge, self.max_scroll_x), animate=False)

    def action_scroll_left(self) -> None:
        """A column at a time, back towards the first."""
        if not self.allow_horizontal_scroll:
            raise SkipAction()
        x = round(self.scroll_x)
        self.scroll_to(x=max((start for start in self._column_starts() if start < x), default=0), animate=False)

    def _column_starts(self) -> list[int]:
        return column_starts(self._layout_widths())

    def action_toggle_wide(self) -> None:
        """Switch between the columns that fit and every column (scrolled sideways, the key column kept)."""
        self.wide = not self.wide
        if not self.wide:
            self.scroll_to(x=0, animate=False, force=True)
        self._refit()
        self.refresh()

    # --- internals: indexing -----------------------------------------------------------------------------------

    def _index_soon(self) -> None:
        """Index a small change at once; a big one a slice per step, after the rows have been drawn."""
        store = self.store
        if not store.indexing and self._settle is None:
            return
        if not self.is_mounted or (self._settle is None and store.pending <= INDEX_SLICE):
            self._settled()
            store.index()
            self.refresh()
        elif not self._index_armed:
            self._index_armed = True
            # A timer of the table's own, not call_after_refresh: that queues on the screen on top, which may
            # close first (a table on a screen underneath would then never finish).
            self.set_timer(_INDEX_PAUSE, self._index_step, name="index rows")

    def _hold_gc(self) -> None:
        """Keep the cyclic collector out until the rows just applied are painted. A bulk load leaves big new lists
        (a slot list per kind of row data: 200k entries each for a disk's objects) that the next young collections
        walk, twice, ~20-40 ms that landed in the rows' first paint; they run right after it instead. Only while an
        index step is armed: that step, which comes after the paint or without one when the table is not shown (at
        the latest after _MAX_PAINT_WAITS), lets the collector in again."""
        if self._index_armed and not self._gc_held and gc.isenabled():
            gc.disable()
            self._gc_held = True

    def _release_gc(self) -> None:
        if self._gc_held:
            self._gc_held = False
            gc.enable()

    def on_unmount(self) -> None:
        self._release_gc()

    def _displayed(self) -> bool:
        """On its screen's layout: neither it nor a container of it hidden (a detail screen's other views)."""
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    def _index_step(self) -> None:
        self._index_armed = False
        if self._unpainted and self._displayed() and self._paint_waits < _MAX_PAINT_WAITS:
            self._paint_waits += 1  # the operator sees the rows first; then the filter's index is built
            self._index_armed = True
            self.set_timer(_INDEX_PAUSE, self._index_step, name="index rows")
            return
        self._release_gc()
        self._paint_waits = 0
        if self._settle is not None:
            if not self._settle():
                self._settle = None
        else:
            self.store.index(INDEX_SLICE)
            self.refresh()  # widths may have grown
        self._index_soon()

    def _settled(self) -> None:
        """The rows' settling work done at once (the filter needs them all now, or there is no step to wait for)."""
        settle, self._settle = self._settle, None
        while settle is not None and settle():
            pass

    def _moved(self, old_row: int) -> None:
        """After the rows or their order changed: keep the cursor's row on the same screen line (so the
        highlighted row does not jump), fit the scroll range, redraw, and say if the cursor's key changed."""
        store = self.store
        self._applied += 1
        row = store.cursor_row
        screen_line = old_row - self._scroll_top()
        if store.row_count and row != old_row and 0 <= screen_line < self._body_height():
            self._scroll_to_top(row - screen_line)
        self._update_virtual_size()
        self._ensure_cursor_visible()
        self.refresh()
        if store.cursor_key != self._announced_key:
            self._announce()

    def _announce(self) -> None:
        self._announced_key = self.store.cursor_key
        self.post_message(self.RowHighlighted(self, self._announced_key))

    # --- internals: cursor and scrolling -----------------------------------------------------------------------

    def _move_cursor(self, row: int) -> None:
        if not self.store.row_count:
            return
        self.store.move_cursor(row)
        self._ensure_cursor_visible()
        self.refresh()
        if self.store.cursor_key != self._announced_key:
            self._announce()

    def _body_height(self) -> int:
        """Lines available for rows (the header takes one)."""
        if not self.is_mounted:
            return 1
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_top(self) -> int:
        return round(self.scroll_y) if self.is_mounted else 0

    def _scroll_to_top(self, top: int) -> None:
        if self.is_mounted:
            self.scroll_to(y=max(top, 0), animate=False, force=True)

    def _scroll_rows(self, delta: int) -> None:
        self._scroll_to_top(self._scroll_top() + delta)

    def _ensure_cursor_visible(self) -> None:
        top, body, row = self._scroll_top(), self._body_height(), self.store.cursor_row
        if row < top:
            self._scroll_to_top(row)
        elif row >= top + body:
            self._scroll_to_top(row - body + 1)

    def _update_virtual_size(self) -> None:
        self._refit()

    def _refit(self) -> None:
        """Choose the columns for the width (all in the wide view), size the scroll range to them, and tell the
        pane when the number hidden changed.

        Widths grow as rows are formatted: those drawn, then the rest a slice at a time (`_index_step`). Were the
        columns chosen on every growth, scrolling a big table would drop columns as wider rows came into view.
        So they are chosen again only when what they depend on changes: the width, the wide view, the sort column,
        the rows (a poll, a filter, a sort), or the end of indexing (when every row's width is known); in between
        the shown set stays and a long text column is cut to the room (`shrink_text`)."""
        store = self.store
        basis = (self.wide, self.is_mounted, self._room(), store.sort_key, self._applied, store.indexing)
        if basis != self._fit_basis:
            self._fit_basis = basis
            if self.wide or not self.is_mounted:
                self._fit = Fit(tuple(range(len(store.columns))), 0)
            else:
                self._fit = fit_columns(store.columns, store.widths, self._room(), keep=store.sort_key)
        self.virtual_size = Size(line_width(self._layout_widths()), store.row_count + 1)
        announced = (self._fit.hidden, self.wide)
        if announced != self._announced_fit:
            self._announced_fit = announced
            self.post_message(self.ColumnsChanged(self, *announced))

    def _room(self) -> int:
        """Cells the columns may take: the table's width less a vertical scrollbar (present or to come)."""
        return self.size.width - self.styles.scrollbar_size_vertical

    def on_resize(self, event: events.Resize) -> None:
        self._refit()
        self._ensure_cursor_visible()

    # --- internals: drawing ------------------------------------------------------------------------------------

    def _layout_widths(self) -> list[int]:
        """Widths of the shown columns as drawn: long text cut to the room (but in the wide view), and a flexible
        last column taking whatever the screen has left."""
        all_widths, shown = self.store.widths, self._fit.shown
        widths = [all_widths[index] for index in shown]
        if not self.wide and self.is_mounted:
            widths = shrink_text([self.store.columns[index] for index in shown], widths, self._room())
        if self.store.flex_last and shown[-1] == len(all_widths) - 1:
            spare = self.scrollable_content_region.width - line_width(widths)
            if spare > 0:
                widths[-1] += spare
        return widths

    def _line_text(self, cells: Sequence[str], widths: Sequence[int]) -> tuple[str, str]:
        return line_text(cells, self.store.columns, self._fit.shown, widths)

    def _header_text(self, widths: Sequence[int]) -> tuple[str, str]:
        store = self.store
        return self._line_text(header_labels(store.columns, store.sort_key, store.sort_reverse), widths)

    def _trouble_above(self) -> str:
        """The header's alarm ("▲ 2 errors above") while rows marked "error" are scrolled out of sight above the
        screen, else "": an operator must never miss a down disk or volume on the pane they are looking at."""
        count = self.store.count_above(self._scroll_top(), "error")
        return f" ▲ {plural(count, 'error')} above " if count else ""

    def _empty_message(self) -> str:
        if self.store.total_count and self.store.filter_text:
            return f"No rows match '{inert(self.store.filter_text)}'"
        return inert(self.empty_text)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._unpainted = False
        # Rows not drawn since they changed are formatted here, together, before the widths are read.
        top = self._scroll_top() + crop.y - 1
        self.store.shown_cells(top, top + crop.height)
        if self._painted != self._applied:  # new rows: choose on the widths of those just formatted, once
            self._painted, self._fit_basis = self._applied, None
        self._refit()  # the scroll range, for widths that may have grown with the rows just formatted
        # The widget's style and the column layout are the same for every line of one paint: work them out once
        # (they were half the cost of a screen).
        self._paint = (self.rich_style, self._layout_widths())
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x = round(self.scroll_x)
        base, widths = self._paint if self._paint is not None else (self.rich_style, self._layout_widths())
        if y == 0:
            style = self.get_component_rich_style("virtual-table--header")
            text = self._header_text(widths)
            marker = self._trouble_above()
            if marker:
                # At the right edge of the content, left of the vertical scrollbar.
                room = max(min(width, self.scrollable_content_region.width) - cell_len(marker), 0)
                head = strip(text, style, scroll_x, room)
                alarm = style + self.get_component_rich_style("virtual-table--error", partial=True)
                line = Strip.join([head, Strip([Segment(marker, alarm)])])
                return line.crop(0, width).adjust_cell_length(width, style)
        else:
            row = self._scroll_top() + y - 1
            shown = self.store.shown_row(row)  # formatted by render_lines; a lone call formats it here
            if shown is not None:
                cells, level = shown
                text = self._line_text(cells, widths)
                if row == self.store.cursor_row:
                    style = self.get_component_rich_style("virtual-table--cursor")
                elif level is not None:
                    style = self.get_component_rich_style(f"virtual-table--{level}")
                else:
                    style = base
            elif y == 1 and not self.store.row_count:
                style = self.get_component_rich_style("virtual-table--muted")
                empty = " " + self._empty_message()
                return Strip([Segment(empty, style)]).crop(0, width).adjust_cell_length(width, base)
            else:
                return Strip.blank(width, base)
        return strip(text, style, scroll_x, width)

    # --- internals: mouse --------------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = column_at(self.shown_columns, self._layout_widths(), offset.x, round(self.scroll_x))
            if column is not None:
                if column.key == self.store.sort_key:
                    self.reverse_sort()
                else:
                    self.sort_by(column.key)
            event.stop()
            return
        row = self._scroll_top() + offset.y - 1
        if row < self.store.row_count:
            self._move_cursor(row)
            if event.chain >= 2:
                self.action_select_row()
            event.stop()
