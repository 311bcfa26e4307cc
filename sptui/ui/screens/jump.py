"""The jump line: `:` then `disk 203`, `volume NAME`, `client 11` or a pane's name, k9s-style.

A one-line modal at the bottom, over the dashboard or a detail screen (which stay in view and keep polling).
Parsing and completion are state/jump.py's; this screen only shows the line, its hint and what is wrong.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...state import format as fmt
from ...state.jump import Completer, Jump, JumpError, parse
from ...state.snapshot import ClusterState

PLACEHOLDER = "disk 203, volume NAME, snapshot NAME, server 2, client 11, or a pane: disks, events…"


class JumpScreen(ModalScreen[Jump | None]):
    """Dismissed with where to go; with None on escape (nothing changes) or an empty line."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="jump.close"),
        Binding("tab", "complete", "Complete", id="jump.complete"),
    ]

    DEFAULT_CSS = """
    JumpScreen { align: left bottom; background: $background 0%; }
    JumpScreen > #jump { height: auto; background: $panel; }
    JumpScreen #jump-hint { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    JumpScreen #jump-hint.-error { color: $error; text-style: bold; }
    JumpScreen #jump-line { height: 1; }
    JumpScreen #jump-prompt { width: 2; padding: 0 0 0 1; text-style: bold; }
    JumpScreen #jump-input { border: none; height: 1; padding: 0; width: 1fr; }
    """

    def __init__(self, state: ClusterState) -> None:
        super().__init__()
        self.state = state
        self.completer = Completer(state)
        # Names from the API are shown here (the candidates, an unknown name echoed back): never as markup.
        self.hint = Static("tab completes, enter opens, escape closes", id="jump-hint", markup=False)
        self.line = Input(placeholder=PLACEHOLDER, id="jump-input")

    def compose(self) -> ComposeResult:
        with Vertical(id="jump"):
            yield self.hint
            with Horizontal(id="jump-line"):
                yield Static(":", id="jump-prompt")
                yield self.line

    def on_mount(self) -> None:
        self.line.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_complete(self) -> None:
        text = self.completer.tab(self.line.value)
        if text != self.line.value:
            self.line.value = text
            self.line.cursor_position = len(text)
        options = self.completer.options
        self._say(self.completer.hint() or ("" if options else "nothing to complete"))

    @on(Input.Changed, "#jump-input")
    def _edited(self, event: Input.Changed) -> None:
        """An error is about the text that was entered: editing it clears the mark."""
        if self.hint.has_class("-error"):
            self._say("")

    @on(Input.Submitted, "#jump-input")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            jump = parse(event.value, self.state)
        except JumpError as error:
            self._say(str(error), error=True)  # the line stays as typed, to be corrected
            return
        self.dismiss(jump)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.hint.update(fmt.inert(text))
        self.hint.set_class(error, "-error")
        self.line.set_class(error, "-invalid")
