"""The action log (`L`): every maintenance action of this run, its result, and the `storpool` CLI line for it."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...state import format as fmt
from ...state.actionlog import Entry
from ..handle import SptuiNode

RESULT_STYLES = {"ok": "green", "refused": "bold red", "unknown": "bold yellow"}


def log_table(entries: tuple[Entry, ...], now: datetime) -> Table:
    """One action per row: the time and how long ago, then what and on what, its result, and the CLI line."""
    table = Table(box=None, expand=True, padding=(0, 1), show_edge=False, show_header=False)
    table.add_column("Time", no_wrap=True)
    table.add_column("Action")
    for entry in entries:
        line = Text()
        line.append(f"{entry.what} {fmt.inert(entry.target)}", style="bold")
        line.append(" — ")
        line.append(fmt.inert(entry.result), style=RESULT_STYLES.get(entry.outcome, ""))
        line.append(f"\n$ {fmt.inert(entry.cli)}", style="dim")
        table.add_row(Text.assemble((entry.time, "bold"), "\n", (fmt.ago(entry.at, now), "dim")), line)
    return table


class ActionLogScreen(ModalScreen[None], SptuiNode):
    """Read-only and live: a followed action's result and the ages move on while it is open (a LiveView, redrawn
    by the app every second and after each poll); escape, q or L closes it."""

    BINDINGS = [Binding("escape,q,L", "dismiss", "Close", id="action_log.close")]

    DEFAULT_CSS = """
    ActionLogScreen { align: center middle; }
    ActionLogScreen > VerticalScroll { width: 100%; max-width: 120; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    ActionLogScreen .title { text-style: bold; }
    ActionLogScreen .empty { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        title, body = self._content()
        with VerticalScroll():
            yield Static(title, classes="title")
            yield Static(body, id="entries", classes="" if self.sptui.actions.log.entries else "empty")

    def show_resources(self) -> None:
        """The entries as they stand now."""
        if not self.is_mounted:
            return
        title, body = self._content()
        self.query_one(".title", Static).update(title)
        entries = self.query_one("#entries", Static)
        entries.set_class(not self.sptui.actions.log.entries, "empty")
        entries.update(body)

    def _content(self) -> tuple[str, Table | str]:
        log = self.sptui.actions.log
        entries = log.entries
        title = f"Action log — {fmt.plural(len(entries), 'action')} this run · escape closes"
        return title, log_table(entries, log.now()) if entries else "Nothing done yet in this run."
