"""Reading a running SptuiApp from tests, shared by the functional and reliability suites.

Textual has no public call for the composed screen as text (its own tests use snapshots); `screen_text` is the
one place that reads the compositor, so a Textual upgrade that moves it breaks one helper, not every test.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sptui.ui.app import SptuiApp


async def refresh(app: SptuiApp, pilot: Any, *names: str) -> None:
    """Poll (all wanted resources, or `names`) and let the handlers run."""
    await app.poll_now(names or None)
    await pilot.pause()


def raw_screen(app: SptuiApp) -> str:
    """Every character the compositor would send, unstripped: control characters included."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def screen_text(app: SptuiApp) -> str:
    """What the terminal shows, as plain text lines (the composed strips of the top screen)."""
    return "\n".join(line.rstrip() for line in raw_screen(app).split("\n"))


def notification_texts(app: SptuiApp) -> list[str]:
    """Every notification the app raised (faded toasts included), as "title message"."""
    return [f"{n.title} {n.message}" for n in app.notices]


def running_timers() -> list[str]:
    """The names of the armed Textual timers (each runs as an asyncio task named after the timer) and of the
    other tasks still running: what a leak would make grow."""
    return sorted(task.get_name() for task in asyncio.all_tasks() if not task.done())
