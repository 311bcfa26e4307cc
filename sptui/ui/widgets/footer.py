"""The footer: Textual's, rebuilt only when the keys it shows change, and never cutting a key in half."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not re-exported by textual.widgets; the stack is pinned

from ..handle import SptuiNode
from ..view import ResourceView

KEEP = frozenset({"question_mark"})  # the help key names every key the footer had no room for


class KeyFooter(Footer, SptuiNode):
    """Textual's Footer recomposes all its key widgets whenever focus moves. Switching panes moves focus
    between tables that offer the same keys, and that rebuild was ~0.2 s of every pane switch; here it
    happens only when the keys, their descriptions or their enabled state differ.

    Textual's footer also lets the last keys run under the palette key, cut mid-word (`c Create volum`);
    here a key is shown whole or not at all: the help key always, the others in their order up to the first that
    does not fit, so a wider terminal shows strictly more keys and never a later key in place of an earlier one.

    An action on objects shows only while the cursor is on an object of its kind (as in the palette): a disk row
    offers no Resize, a volume row no Soft-eject, so a wide terminal has room for the keys that apply."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        shown = tuple(
            (binding.key, binding.description, enabled)
            for (_, binding, enabled, _) in screen.active_bindings.values()
            if binding.show
        )
        if shown != self._shown:
            self._shown = shown
            super().bindings_changed(screen)
        else:
            self.fit_keys()  # the same keys, but focus may have moved to a pane whose rows are of another kind

    async def recompose(self) -> None:
        await super().recompose()
        self.fit_keys()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        """Show the keys that apply and fit whole beside the palette key; hide the rest."""
        if not self.is_attached:  # a recompose that ends after its screen was closed
            return
        screen = self.screen
        selection = screen.selection() if isinstance(screen, ResourceView) else None
        actions = self.sptui.actions
        keys = list(self.query_children(FooterKey))
        palette = [key for key in keys if key.has_class("-command-palette")]
        keys = [key for key in keys if not key.has_class("-command-palette")]
        room = self.size.width - sum(_width(key) for key in palette)
        kept = [key for key in keys if key.key in KEEP]
        room -= sum(_width(key) for key in kept)
        fits = True
        for key in keys:
            if key.key in KEEP:
                continue
            if not actions.applies(key.action, selection):
                key.display = False
                continue
            width = _width(key)
            fits = fits and width <= room
            if fits:
                room -= width
            key.display = fits


def _width(key: FooterKey) -> int:
    """The cells a key takes: its rendered label, padding, border and margins (whether it is shown or not)."""
    return key.render().cell_len + key.styles.gutter.width + key.styles.margin.width
