"""The main screen: the health bar on top and five panes, one shown at a time."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static

from ...state.resources import RESOURCES
from ...state.selection import Selection
from ..widgets.footer import KeyFooter
from ..widgets.health import HealthBar
from ..widgets.pane import ResourcePane
from ..widgets.table import VirtualTable

PANES = tuple(RESOURCES)


class DashboardScreen(Screen):
    """Panes switch with 1-5 and tab; the visible one polls at full speed."""

    BINDINGS = [
        *(
            Binding(str(i), f"show_pane('{name}')", RESOURCES[name].title, show=False, id=f"dashboard.pane.{name}")
            for i, name in enumerate(PANES, start=1)
        ),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="dashboard.next"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="dashboard.previous"),
    ]

    def __init__(self, badges: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.health = HealthBar(badges=badges, id="health")
        self.panes = {name: ResourcePane(RESOURCES[name]) for name in PANES}
        self.current = PANES[0]
        self.tabs = Static(self._tabs_text(), id="pane-tabs")

    def compose(self) -> ComposeResult:
        yield self.health
        yield self.tabs
        with ContentSwitcher(initial=f"pane-{PANES[0]}", id="panes"):
            yield from self.panes.values()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.current_pane.table.focus()

    @property
    def current_pane(self) -> ResourcePane:
        return self.panes[self.current]

    def wanted_resources(self) -> tuple[str, ...]:
        return (self.current,)

    def show_resources(self) -> None:
        """Hand the current pane its resource's state; hidden panes catch up when shown."""
        app = self.app
        name = self.current
        self.current_pane.show_state(app.state.resources.get(name), app.clock(), app.retry_in(name))

    def selection(self) -> Selection | None:
        pane = self.current_pane
        key = pane.table.cursor_key
        if key is None or pane.spec.select is None:
            return None
        row = pane.table.row(key)
        return pane.spec.select(key, row) if row is not None else None

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        self.app.open_detail(self.selection())  # type: ignore[attr-defined]

    def _tabs_text(self) -> Text:
        """The pane keys, the current pane bracketed (readable without colour) and highlighted."""
        text = Text()
        for i, name in enumerate(PANES, start=1):
            label = f"{i} {RESOURCES[name].title}"
            if name == self.current:
                text.append(f"[{label}]", style="bold reverse")
            else:
                text.append(f" {label} ")
            text.append(" ")
        return text

    def action_show_pane(self, name: str) -> None:
        self.current = name
        self.tabs.update(self._tabs_text())
        self.query_one(ContentSwitcher).current = f"pane-{name}"
        self.current_pane.table.focus()
        self.app.pane_shown(name)  # type: ignore[attr-defined]

    def action_cycle_pane(self, step: int) -> None:
        index = (PANES.index(self.current) + step) % len(PANES)
        self.action_show_pane(PANES[index])
