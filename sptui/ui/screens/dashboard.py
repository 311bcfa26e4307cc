"""The main screen: the health bar on top and the registry's panes, one shown at a time or all at once (the
overview)."""

from __future__ import annotations

from collections.abc import Hashable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Static

from ...state.resources import RESOURCES
from ...state.selection import Selection
from ...state.share import share_lines
from ..handle import SptuiNode
from ..widgets.footer import KeyFooter
from ..widgets.health import HealthBar
from ..widgets.pane import ResourcePane
from ..widgets.table import VirtualTable
from ..widgets.tabline import append_tabs

PANES = tuple(RESOURCES)
# The smallest terminal the overview is offered on: each pane then keeps about 80 columns and 11 rows.
OVERVIEW_SIZE = (160, 45)
OVERVIEW_LEAST = 5  # lines a row of panes keeps however little it has: title, header and a few rows


def overview_css(panes: tuple[str, ...]) -> str:
    """The overview's grid, from the panes: two columns, as many rows as they need; an odd last pane takes
    the whole last row."""
    rows = (len(panes) + 1) // 2
    css = f"DashboardScreen #panes.-overview {{ layout: grid; grid-size: 2 {rows}; grid-gutter: 0 1; }}\n"
    if len(panes) % 2:
        css += f"DashboardScreen #panes.-overview > #pane-{panes[-1]} {{ column-span: 2; }}\n"
    return css


class DashboardScreen(Screen[None], SptuiNode):
    """Panes switch with their number keys and tab; the visible one polls at full speed. `0` shows them all on a
    big terminal (then the number keys and tab move between them, and all of them poll at full speed)."""

    DEFAULT_CSS = (
        overview_css(PANES)
        + """
    DashboardScreen #panes > ResourcePane { display: none; }
    DashboardScreen #panes > ResourcePane.-current { display: block; }
    DashboardScreen #panes.-overview > ResourcePane { display: block; }
    /* The current pane's title in the foreground colour, so a stale pane's warning background still shows. */
    DashboardScreen #panes.-overview > ResourcePane.-current > .pane-title {
        color: $accent;
        text-style: bold underline;
    }
    """
    )

    BINDINGS = [
        Binding("0", "toggle_overview", "Overview", show=False, id="dashboard.overview"),
        *(
            Binding(str(i), f"show_pane('{name}')", RESOURCES[name].title, show=False, id=f"dashboard.pane.{name}")
            for i, name in enumerate(PANES, start=1)
        ),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="dashboard.next"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="dashboard.previous"),
    ]

    def __init__(self, badges: tuple[str, ...] = (), identity: str = "sptui") -> None:
        super().__init__()
        self.health = HealthBar(badges=badges, identity=identity, id="health")
        self.panes = {name: ResourcePane(RESOURCES[name]) for name in PANES}
        self.current = PANES[0]
        self.overview = False
        self._shares: list[int] = []  # the overview's lines per row of panes, as last laid out
        self.current_pane.add_class("-current")
        self.tabs = Static("", id="pane-tabs")

    def compose(self) -> ComposeResult:
        yield self.health
        yield self.tabs
        with Container(id="panes"):
            yield from self.panes.values()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.tabs.update(self._tabs_text())
        self.current_pane.table.focus()

    @property
    def current_pane(self) -> ResourcePane:
        return self.panes[self.current]

    def wanted_resources(self) -> tuple[str, ...]:
        return PANES if self.overview else (self.current,)

    def show_resources(self) -> None:
        """Hand the shown panes their resources' state; hidden panes catch up when shown."""
        app = self.sptui
        now = app.clock()
        for name in self.wanted_resources():
            self.panes[name].show_state(app.state.resources.get(name), now, app.scheduler.retry_in(name))
        if self.overview:
            self._share_overview()

    def _share_overview(self) -> None:
        """The overview's rows of panes get lines in proportion to what their panes have to show (share_lines):
        an empty Tasks pane keeps a few lines and Disks gets the rest."""
        grid = self.query_one("#panes")
        if not grid.size.height:
            return
        rows = [PANES[i : i + 2] for i in range(0, len(PANES), 2)]
        needs = [max(self._lines_needed(self.panes[name]) for name in row) for row in rows]
        shares = share_lines(needs, grid.size.height, OVERVIEW_LEAST)
        if shares != self._shares:
            self._shares = shares
            grid.styles.grid_rows = " ".join(f"{share}fr" for share in shares)

    @staticmethod
    def _lines_needed(pane: ResourcePane) -> int:
        """The pane's title and status lines, the table's header and scroll bar, and a line per row (one for the
        'no rows' text)."""
        table = pane.table
        chrome = pane.outer_size.height - table.outer_size.height
        return chrome + 1 + table.scrollbar_size_horizontal + max(1, table.row_count)

    def selection(self) -> Selection | None:
        pane = self.current_pane
        key = pane.table.cursor_key
        if key is None or pane.spec.select is None:
            return None
        row = pane.table.row(key)
        return pane.spec.select(key, row) if row is not None else None

    def show_object(self, pane: str, key: Hashable, *, switch: bool) -> str | None:
        """Put the cursor on `key` in `pane` (after an action). With `switch` (a new object) the pane is shown
        first; without it a changed object on another pane leaves the operator where they are looking. Returns
        the filter that had to be cleared to show it, if any."""
        if self.current != pane:
            if not switch:
                return None
            self.action_show_pane(pane)
        self.show_resources()
        return self.panes[pane].reveal(key)

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        self.sptui.open_detail(self.selection())

    def _tabs_text(self) -> Text:
        """The pane keys, the current pane bracketed (readable without colour) and highlighted."""
        text = Text()
        if self.overview:
            text.append("[0 Overview]", style="bold")
            text.append(" ")
        elif self._room_for_overview():  # offered only where it fits
            text.append(" 0 Overview  ")
        specs = [(i, RESOURCES[name], name == self.current) for i, name in enumerate(PANES, start=1)]
        tabs = [(f"{i} {spec.title}", current) for i, spec, current in specs]
        short = [(f"{i} {spec.title if current else spec.short or spec.title}", current) for i, spec, current in specs]
        return append_tabs(text, tabs, self.size.width - 2, short)  # the tab line's padding

    def action_show_pane(self, name: str) -> None:
        """Show the pane (in the overview: move to it)."""
        self._make_current(name)
        self.current_pane.table.focus()
        self.sptui.pane_shown(name)

    def _make_current(self, name: str) -> None:
        self.current_pane.remove_class("-current")
        self.current = name
        self.current_pane.add_class("-current")
        self.tabs.update(self._tabs_text())

    def action_cycle_pane(self, step: int) -> None:
        index = (PANES.index(self.current) + step) % len(PANES)
        self.action_show_pane(PANES[index])

    def action_toggle_overview(self) -> None:
        """All the panes at once on a terminal of 160x45 or more; again for one pane (the current one)."""
        if not self.overview and not self._room_for_overview():
            width, height = self.app.size
            self.app.notify(
                f"The overview needs a terminal of at least {OVERVIEW_SIZE[0]}x{OVERVIEW_SIZE[1]}; "
                f"this one is {width}x{height}.",
                severity="warning",
            )
            return
        self._set_overview(not self.overview)

    def _room_for_overview(self) -> bool:
        width, height = self.app.size
        return width >= OVERVIEW_SIZE[0] and height >= OVERVIEW_SIZE[1]

    def _set_overview(self, on: bool) -> None:
        self.overview = on
        self.query_one("#panes").set_class(on, "-overview")
        self.tabs.update(self._tabs_text())
        for name in self.wanted_resources():  # newly shown panes poll now if their data is old
            self.sptui.pane_shown(name)
        self.current_pane.table.focus()

    def on_resize(self, event: events.Resize) -> None:
        if self.overview and not self._room_for_overview():
            self._set_overview(False)  # too small now: back to one pane, the one the operator was on
        self.tabs.update(self._tabs_text())

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        """In the overview a click can focus another pane's table: that pane becomes the current one."""
        for name, pane in self.panes.items():
            if event.widget is pane.table and name != self.current:
                self._make_current(name)
