"""The help screen: every key, generated from the bindings that are declared once."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...state.rowfilter import FILTER_HELP
from ..widgets.pane import ResourcePane
from ..widgets.table import VirtualTable
from .dashboard import DashboardScreen
from .detail import DetailScreen

_KEY_NAMES = {"slash": "/", "question_mark": "?", "shift+tab": "shift+tab"}


def _key_name(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return "/".join(_KEY_NAMES.get(key, key) for key in binding.key.split(","))


def binding_groups(app_bindings: list[Binding]) -> list[tuple[str, list[Binding]]]:
    """The app's, the dashboard's, a detail screen's, a pane's and a table's keys, in that order."""
    groups: list[tuple[str, Sequence[BindingType]]] = [
        ("Everywhere", app_bindings),
        ("Dashboard", DashboardScreen.BINDINGS),
        ("Detail screens (disk, volume, server, client)", DetailScreen.BINDINGS),
        ("Panes", ResourcePane.BINDINGS),
        ("Tables", VirtualTable.BINDINGS),
    ]
    return [(title, [b for b in bindings if isinstance(b, Binding) and b.description]) for title, bindings in groups]


class HelpScreen(ModalScreen[None]):
    """Keys by where they work; escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, app_bindings: list[Binding]) -> None:
        super().__init__()
        self.app_bindings = app_bindings

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, expand=True, padding=(0, 2))
        table.add_column("key", style="bold", no_wrap=True, width=18)
        table.add_column("action", ratio=1)
        for title, bindings in binding_groups(self.app_bindings):
            table.add_row(f"[u]{title}[/u]", "")
            seen: set[str] = set()
            for binding in bindings:
                if binding.description in seen:
                    continue
                seen.add(binding.description)
                keys = [_key_name(b) for b in bindings if b.description == binding.description]
                table.add_row(", ".join(keys), binding.description)
        table.add_row("[u]The filter (/)[/u]", "")
        for form, meaning in FILTER_HELP:
            table.add_row(Text(form), Text(meaning))
        with VerticalScroll():
            yield Static("sptui keys — escape closes", classes="title")
            yield Static(table)
