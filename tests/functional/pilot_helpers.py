"""Helpers for Pilot tests: poll explicitly, read the screen as text."""

from __future__ import annotations

from typing import Any

from app_helpers import refresh, screen_text

from sptui.ui.app import SptuiApp

__all__ = ["offered", "refresh", "screen_text", "settle"]


async def settle(app: SptuiApp, pilot: Any) -> None:
    """Let every worker (polls, form loads, mutations, the polls they imply) finish and its messages be handled."""
    for _ in range(20):
        await pilot.pause()
        running = [w for w in app.workers if w.is_running]
        if not running:
            break
        await app.workers.wait_for_complete(running)
    await pilot.pause()


def offered(app: SptuiApp, key: str) -> bool:
    """Whether the top screen offers `key` (in its footer where there is room, and always in help and palette)."""
    return any(b.key == key and b.show and enabled for (_, b, enabled, _) in app.screen.active_bindings.values())
