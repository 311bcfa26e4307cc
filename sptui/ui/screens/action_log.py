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
    """Read-only; escape, q or L closes it."""

    BINDINGS = [Binding("escape,q,L", "dismiss", "Close", id="action_log.close")]

    DEFAULT_CSS = """
    ActionLogScreen { align: center middle; }
    ActionLogScreen > VerticalScroll { width: 100%; max-width: 120; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    ActionLogScreen .title { text-style: bold; }
    ActionLogScreen .empty { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        log = self.sptui.actions.log
        entries = log.entries
        with VerticalScroll():
            yield Static(f"Action log — {fmt.plural(len(entries), 'action')} this run · escape closes", classes="title")
            if entries:
                yield Static(log_table(entries, log.now()))
            else:
                yield Static("Nothing done yet in this run.", classes="empty")
