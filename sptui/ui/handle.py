"""A typed handle to the running SptuiApp for the screens, forms and widgets that reach into it.

Textual types `self.app` as a plain `App`; sptui's nodes use SptuiApp's state, clock, poll engine and actions,
so they read `self.sptui` instead: one cast here rather than a type-ignore at every use. The import is for the
type checker only, since the app module imports the screens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from textual.app import App

    from .app import SptuiApp


class _HasApp(Protocol):
    @property
    def app(self) -> App[Any]: ...


class SptuiNode:
    """Mixin for a Textual screen or widget of sptui (listed after the Textual base class)."""

    @property
    def sptui(self: _HasApp) -> SptuiApp:
        """The running app as the SptuiApp it always is."""
        return cast("SptuiApp", self.app)
