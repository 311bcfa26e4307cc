"""Maintenance actions: the keys that open forms, and the controller that runs them.

Mutating keys are declared once here and included in the app's BINDINGS, so the footer,
the help screen and the command palette all come from the same place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from ..state.selection import Selection

if TYPE_CHECKING:
    from .app import SptuiApp

ACTION_BINDINGS: list[Binding] = []


class Actions:
    """Starts the form for an action on the current selection."""

    def __init__(self, app: SptuiApp) -> None:
        self.app = app

    def start(self, action: str, selection: Selection | None) -> None:
        self.app.notify(f"{action} is not available yet.", severity="warning")
