"""The contract between the app's poll engine and the screens that show polled resources."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..state.selection import Selection


@runtime_checkable
class LiveView(Protocol):
    """A screen whose content follows the app's state: redrawn every second and after each poll."""

    def show_resources(self) -> None:
        """Redraw from the app's state (new snapshots, ages, stale marks, followed actions)."""
        ...


@runtime_checkable
class ResourceView(Protocol):
    """A screen that shows polled resources: it says which, and redraws them when asked."""

    def wanted_resources(self) -> tuple[str, ...]:
        """The resources this screen shows now; they poll at full speed while it is on top."""
        ...

    def show_resources(self) -> None:
        """Redraw from the app's ClusterState (new snapshots, ages, stale marks)."""
        ...

    def selection(self) -> Selection | None:
        """The object under the cursor (or the screen's own): what `enter` opens and actions act on."""
        ...
