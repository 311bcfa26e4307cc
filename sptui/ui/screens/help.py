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


def _meaning(binding: Binding) -> str:
    """What a key does, in full: an action's footer word is short, its tooltip is its title."""
    return binding.tooltip or binding.description


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
        with VerticalScroll():
            yield Static("sptui keys — escape closes", classes="title")
            for title, rows in help_rows(self.app_bindings):
                # A heading is its own line, not a cell of the key column: it is never cut.
                yield Static(Text(title, style="underline"))
                yield Static(_key_table(rows))


def help_rows(app_bindings: list[Binding]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(keys, what they do)]) for every group, then the filter's forms. Keys sharing a description
    are one row; a detail screen's numbered views are one row too (each screen names its own in its tab line)."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for title, bindings in binding_groups(app_bindings):
        rows: list[tuple[str, str]] = []
        views = [b for b in bindings if b.action.startswith("show_view(")]
        for binding in bindings:
            if binding in views:
                if binding is views[0]:
                    keys = f"{_key_name(views[0])} … {_key_name(views[-1])}"
                    rows.append((keys, "Views, named in the tab line"))
            elif _meaning(binding) not in {meaning for _, meaning in rows}:
                keys = ", ".join(_key_name(b) for b in bindings if _meaning(b) == _meaning(binding))
                rows.append((keys, _meaning(binding)))
        groups.append((title, rows))
    groups.append(("The filter (/)", list(FILTER_HELP)))
    return groups


def _key_table(rows: list[tuple[str, str]]) -> Table:
    table = Table(show_header=False, box=None, expand=True, padding=(0, 2))
    table.add_column("key", style="bold", no_wrap=True, width=18)
    table.add_column("action", ratio=1)
    for keys, meaning in rows:
        table.add_row(Text(keys), Text(meaning))
    return table
