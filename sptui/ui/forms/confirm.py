"""The confirmation of a destructive action: what will happen, in numbers and names, before anything is sent.

Cancel has the focus, so a stray second Enter cancels rather than confirms; `y` or the action's own button
confirms. A large action (detaching a volume from every client, emptying a disk that holds data) asks for
the disk id or volume name to be typed instead, and confirms only when it matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static

from ...state.format import inert_lines

# A typed confirmation starts empty: a grey copy of the answer as placeholder would look typed already.
TYPED_PLACEHOLDER = "(type here)"


@dataclass(frozen=True)
class Confirmation:
    """`lines` say what will happen; `warnings` what could go wrong; `typed` must be typed to confirm; `details`
    (what they show, and the screen) opens with `p` over the confirmation: the whole story before saying yes."""

    title: str
    lines: tuple[str, ...]
    action: str
    warnings: tuple[str, ...] = ()
    typed: str | None = None
    details: tuple[str, Callable[[], Screen[Any]]] | None = None


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True only on an explicit confirmation; escape, `n` and Cancel say no."""

    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
        Binding("y", "yes", "Confirm", show=False, id="confirm.yes"),
        Binding("n", "answer(False)", "Cancel", show=False, id="confirm.no"),
        Binding("p", "details", "Details", show=False, id="confirm.details"),
    ]

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > #dialog {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    ConfirmScreen #confirm-title { text-style: bold; margin-bottom: 1; }
    ConfirmScreen #confirm-body { height: auto; max-height: 60vh; }
    ConfirmScreen .line { height: auto; }
    ConfirmScreen .warning { color: $warning; text-style: bold; height: auto; }
    ConfirmScreen #typed { margin-top: 1; }
    ConfirmScreen #confirm-buttons { height: 1; margin-top: 1; }
    ConfirmScreen #confirm-buttons > Button { margin-right: 2; }
    ConfirmScreen .confirm-hint { color: $text-muted; }
    """

    def __init__(self, confirmation: Confirmation) -> None:
        super().__init__()
        self.confirmation = confirmation

    def compose(self) -> ComposeResult:
        c = self.confirmation
        with Vertical(id="dialog"):
            yield Static(inert_lines(c.title), id="confirm-title", markup=False)
            with VerticalScroll(id="confirm-body"):
                for line in c.lines:
                    yield Static(inert_lines(line), classes="line", markup=False)
                for warning in c.warnings:
                    yield Static(inert_lines(f"⚠ {warning}"), classes="warning", markup=False)
            if c.typed is not None:
                yield Static(inert_lines(f"Type {c.typed} to confirm:"), classes="line", markup=False)
                yield Input(placeholder=TYPED_PLACEHOLDER, id="typed", compact=True)
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="no", compact=True)
                yield Button(c.action, id="yes", variant="error", compact=True, disabled=c.typed is not None)
            hint = "enter confirms once it matches" if c.typed is not None else "y confirms"
            details = f" · p shows {c.details[0]}" if c.details is not None and c.typed is None else ""
            yield Static(f"{hint}{details} · escape cancels", classes="confirm-hint", markup=False)

    def on_mount(self) -> None:
        if self.confirmation.typed is not None:
            self.query_one("#typed", Input).focus()
        else:
            self.query_one("#no", Button).focus()

    def _matches(self) -> bool:
        typed = self.confirmation.typed
        return typed is None or self.query_one("#typed", Input).value.strip() == typed

    @on(Input.Changed, "#typed")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#yes", Button).disabled = not self._matches()

    @on(Input.Submitted, "#typed")
    def _typed_enter(self, event: Input.Submitted) -> None:
        event.stop()
        if self._matches():
            self.dismiss(True)

    @on(Button.Pressed, "#yes")
    def _yes(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_yes()

    @on(Button.Pressed, "#no")
    def _no(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)

    def action_yes(self) -> None:
        if self._matches():
            self.dismiss(True)

    def action_details(self) -> None:
        """Over a typed confirmation `p` is a letter of the name being typed, so only plain ones offer it."""
        if self.confirmation.details is not None and self.confirmation.typed is None:
            self.app.push_screen(self.confirmation.details[1]())

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
