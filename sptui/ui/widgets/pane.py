"""A resource pane: a title line that tells freshness and filter, a virtual table, a filter box.

The pane renders whatever snapshot the app hands it; it never fetches.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from ...state import format as fmt
from ...state.resources import ResourceSpec
from ...state.rowfilter import FilterError
from ...state.snapshot import ResourceState, Snapshot
from ..handle import SptuiNode
from .table import VirtualTable


def update_in_place(line: Static, text: str) -> bool:
    """Set a line's text, laying the screen out again only if the line's height changes; True when it did.

    Why: an update lays out the whole screen (the line's height is auto: a long title wraps on a narrow
    terminal), which cost a filter key a second layout pass and a repaint of every widget, though the count
    in the title almost never changes how many lines it takes. The new text's height at the line's width is
    what Textual's layout would find (`get_content_height`, its cache dropped by the update)."""
    line.update(text, layout=False)
    width, height = line.content_size
    if width and line.get_content_height(line.content_size, line.app.size, width) == height:
        return False
    line.refresh(layout=True)
    return True


class FilterBox(Input):
    """The filter line: each new text is handed to `on_value` inside the key's own handling.

    Why: Input.Changed is a message, handled after the key; the screen painted the echoed character in one
    frame and the filtered rows in the next, a frame period (1/60 s) later at least. Filtered from the value's
    watcher, the character, the rows and the title's count are one frame."""

    def __init__(self, on_value: Callable[[str], None], **options: Any) -> None:
        super().__init__(**options)
        self._on_value = on_value

    def watch_value(self, value: str) -> None:
        self._on_value(value)


class ResourcePane(Vertical, SptuiNode):
    """One dashboard pane over one ResourceSpec."""

    BINDINGS = [
        Binding("slash", "filter", "Filter", id="pane.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="pane.clear_filter"),
    ]

    DEFAULT_CSS = """
    ResourcePane { height: 1fr; }
    ResourcePane > .pane-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    ResourcePane > .pane-title.-stale { background: $warning 30%; }
    ResourcePane > .pane-status { height: auto; padding: 0 1; }
    ResourcePane > VirtualTable { height: 1fr; }
    ResourcePane > Input.filter { dock: bottom; display: none; }
    ResourcePane > Input.filter.-active { display: block; }
    ResourcePane > .filter-error { height: auto; padding: 0 1; color: $error; display: none; }
    ResourcePane > .filter-error.-shown { display: block; }
    """

    def __init__(self, spec: ResourceSpec[Any], *, id: str | None = None) -> None:
        """`id` defaults to "pane-<resource>"; detail resources ("disk:101:objects") are not valid ids."""
        super().__init__(id=id or f"pane-{spec.name}")
        self.spec = spec
        # Both lines carry text from the API (error descriptions, statuses): never parse it as markup.
        self.title_line = Static("", classes="pane-title", markup=False)
        self.status_line = Static("", classes="pane-status", markup=False)
        self.table = VirtualTable(
            spec.columns,
            default_sort=spec.default_sort,
            sort_rank=spec.rank,
            empty_text=spec.empty_text,
            id=f"{id}-table" if id else f"table-{spec.name}",
        )
        self.filter_box = FilterBox(
            self._filter_changed, placeholder="filter (enter keeps it, escape clears)", classes="filter"
        )
        # Why the filter as typed cannot be used; the rows stay filtered by the last text that could.
        self.filter_error = Static("", classes="filter-error", markup=False)
        self._filter_error_text = ""
        self._state: ResourceState | None = None
        self._shown: Snapshot | None = None
        self._status = ""
        self._title = ""

    def compose(self) -> ComposeResult:
        yield self.title_line
        if self.spec.status is not None:
            yield self.status_line
        yield self.table
        yield self.filter_error
        yield self.filter_box

    def show_state(self, state: ResourceState | None, now: float, retry_in: float | None) -> None:
        """Apply the state's snapshot if it is new to this pane, and re-draw the freshness line."""
        self._state = state
        snapshot = state.snapshot if state else None
        if snapshot is not None and snapshot is not self._shown:
            shown, self._shown = self._shown, snapshot
            # An answer equal to the last one keeps its rows: nothing to diff into the table.
            if shown is None or shown.rows is not snapshot.rows or shown.levels is not snapshot.levels:
                self.apply_snapshot(snapshot)
        if snapshot is not None and self.spec.status is not None:
            # Every redraw, not only a new snapshot: the line may tell what other polls found (a followed action).
            status = self.spec.status(snapshot.data, self.sptui.state)
            if status != self._status:
                self._status = status
                update_in_place(self.status_line, status)
        self.set_empty_text(self._empty_text(state))
        self.update_title(now, retry_in)

    def _empty_text(self, state: ResourceState | None) -> str:
        """What the table says when it has no rows: that there are none only once an answer said so."""
        if state is not None and state.snapshot is not None:
            return self.spec.empty_text
        if state is not None and state.error:
            return "No data yet: the title says why."
        return "Loading…"

    def set_empty_text(self, text: str) -> None:
        table = self.table
        if table.empty_text != text:
            table.empty_text = text
            table.refresh()

    def apply_snapshot(self, snapshot: Snapshot) -> None:
        """Show a new snapshot's rows (a pane for huge resources may spread this over several frames)."""
        settle = self.spec.settle(snapshot.data) if self.spec.settle is not None else None
        self.table.apply(snapshot.rows, snapshot.levels, settle)

    def cursor_to(self, key: Hashable) -> bool:
        """Move the cursor to the row with `key`; False when the table has no such row (yet)."""
        return self.table.move_cursor_to_key(key)

    def reveal(self, key: Hashable) -> str | None:
        """The cursor onto `key` even if the filter hides it: such a filter is cleared, and its text returned so
        that the caller can say so (a row the operator just made must not look missing)."""
        table = self.table
        if table.move_cursor_to_key(key) or not table.filter_text or table.store.row(key) is None:
            return None
        cleared = table.filter_text
        self.action_clear_filter()
        table.move_cursor_to_key(key)
        return cleared

    def count_text(self) -> str:
        """The row count in the title: how many rows, and the filter if one is set."""
        table = self.table
        if table.filter_text:
            shown = f"{table.row_count:,} of {fmt.plural(table.total_count, 'row')}"
            return f"{shown}, filter '{fmt.inert(table.filter_text, 30)}'"
        return fmt.plural(table.total_count, "row")

    def columns_text(self) -> list[str]:
        """What the title says of the columns: how many the width hides and the key that shows them all."""
        table = self.table
        if not table.total_count:  # nothing shown yet: no column is missed (and an error keeps the room)
            return []
        if table.wide:
            return ["all columns", "w fits the width"]
        if table.hidden_count:
            return [fmt.plural(table.hidden_count, "column") + " hidden", "w shows all"]
        return []

    @on(VirtualTable.ColumnsChanged)
    def _columns_changed(self, event: VirtualTable.ColumnsChanged) -> None:
        event.stop()
        self.update_title_now()

    def update_title(self, now: float, retry_in: float | None) -> None:
        state = self._state
        parts = [self.spec.title, self.count_text()]
        stale = bool(state and state.error)
        if state is None or (state.snapshot is None and not state.error):
            parts.append("loading…")
        elif state.error:
            parts.append(state.stale_line(now, retry_in))
        elif state.snapshot is not None and state.snapshot.note:
            parts.append(state.snapshot.note)
        parts.extend(self.columns_text())
        self.title_line.set_class(stale, "-stale")
        title = " — ".join(parts)
        if title != self._title:  # the one-second redraw: most seconds no age in it has moved
            self._title = title
            update_in_place(self.title_line, title)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            # Nothing to clear: escape is not this pane's, so it reaches the screen (a detail screen goes back)
            # and the footer shows the screen's meaning of it.
            return bool(self.table.filter_text) or self.filter_box.has_class("-active")
        return True

    def action_filter(self) -> None:
        self.filter_box.add_class("-active")
        self.filter_box.value = self.table.filter_text
        self.filter_box.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        self.filter_box.value = ""
        self.filter_box.remove_class("-active")
        self.table.set_filter("")
        self._show_filter_error(None)
        self.table.focus()
        self.update_title_now()
        self.refresh_bindings()

    def update_title_now(self) -> None:
        self.sptui.call_later(self.sptui.redraw)

    def retitle(self) -> None:
        """The title's count now, in the frame that shows the filtered rows (not a redraw queued behind them)."""
        app = self.sptui
        self.update_title(app.clock(), app.scheduler.retry_in(self.spec.name))

    def _filter_changed(self, value: str) -> None:
        had_filter = bool(self.table.filter_text)
        try:
            self.table.set_filter(value)
        except FilterError as error:
            self._show_filter_error(str(error))
        else:
            self._show_filter_error(None)
        self.retitle()
        self.update_title_now()  # the overview shares its lines by the panes' row counts
        if had_filter != bool(value):
            self.refresh_bindings()

    def _show_filter_error(self, message: str | None) -> None:
        """Mark the filter box invalid and say why (None: all is well)."""
        self.filter_box.set_class(message is not None, "-invalid")
        text = fmt.inert(message or "")
        if text != self._filter_error_text:  # an update lays the screen out again: not on every key for nothing
            self._filter_error_text = text
            self.filter_error.update(text)
        self.filter_error.set_class(message is not None, "-shown")

    @on(Input.Submitted, ".filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            self.filter_box.remove_class("-active")
            self.refresh_bindings()
        self.table.focus()
