"""One key at a time: the app hands a key on only once the key before it has been handled to the end.

Why: Textual's App posts each key to the focused widget's queue the moment it reads the key, without waiting
for the key before it. In a burst (a slow SSH link delivering a second's typing at once, a paste) that
breaks twice:

- A key is routed by the focus of the moment it was read. `/` opens the filter box by a binding that runs
  only after `/` has bubbled back up to the app, and `focus()` itself is a callback queued behind the burst:
  the rest of the burst has already gone to the table, whose bindings then run (`c` opens a form).
- Printable keys are consumed by the Input in its own queue, but backspace and tab are bindings: they bubble
  through every container up to the app and run there, after later letters have already been inserted
  (Textual issue #6605: "vm-10", five backspaces, "scratch" gives "vmscrat").

The gate holds the keys (and pastes) the driver delivers and hands the next one on only after the previous
one has been handled: consumed by a widget or bubbled up to the app and its binding run, what that binding
queued on the app run (a focus move, a pushed screen mounted and focused), and what the focused widget
posted about it (Input.Changed: a form's validation) handled along the focus chain. It does that by
posting a callback behind the key into each queue on the key's path, bottom-up, in the order the key
travels: when the callback runs, the queue has handled everything before it.

A screen that is still building what the keys are for (a form loading what it offers, then mounting its
fields) holds the keys with a true `holds_keys` and calls `resume()` when it is ready, so "e101" typed ahead
lands in the soft-eject form's field, not on its Cancel button. Escape is not held: it cancels the form, and
the keys typed ahead for that form go with it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.message_pump import MessagePump

log = logging.getLogger("sptui")

# Sweeps of the focus chain after a key, while each one finds another screen or focus (a screen pushed by the
# key moving the focus in its on_mount); a key that keeps moving the focus is let go after this many.
MAX_SWEEPS = 8
# Only if a queue on the path never answers (a widget removed while the key was in it): keys must not stall.
STUCK_AFTER = 3.0


class KeyGate:
    """Holds the driver's keys and pastes and dispatches them one by one through `dispatch` (Textual's own)."""

    def __init__(self, app: App[Any], dispatch: Callable[[events.Event], Awaitable[None]]) -> None:
        self._app = app
        self._dispatch = dispatch
        self._held: deque[events.Event] = deque()
        self._current: object | None = None  # a token per key in flight: a late sweep of a released key stops
        self._stuck: asyncio.TimerHandle | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    @staticmethod
    def takes(event: events.Event) -> bool:
        """A key or paste from the driver (a forwarded one is already on its way through the DOM)."""
        return isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded

    @property
    def busy(self) -> bool:
        """A key or paste is held or still being handled."""
        return not self._idle.is_set()

    async def wait_idle(self) -> None:
        """Until every key received so far has been handled (tests feeding a burst)."""
        await self._idle.wait()

    async def receive(self, event: events.Event) -> None:
        """Called in the app's task for each key or paste the driver delivers."""
        if self._holding() and _is_escape(event):
            self._held.clear()  # typed ahead for the screen that escape now cancels
        self._held.append(event)
        self._idle.clear()
        if self._current is None:
            await self._next()

    def resume(self) -> None:
        """A screen that held the keys is ready: hand them on (after what it queued on the app, its focus)."""
        self._app.call_later(self._resume)

    async def _resume(self) -> None:
        if self._current is None:
            await self._next()

    def _holding(self) -> bool:
        return bool(getattr(self._app.screen, "holds_keys", False))

    async def _next(self) -> None:
        if not self._held:
            self._idle.set()
            return
        if self._holding() and not _is_escape(self._held[0]):
            return  # resume() goes on
        event = self._held.popleft()
        token = object()
        self._current = token
        self._stuck = asyncio.get_running_loop().call_later(STUCK_AFTER, self._unstick, token)
        path = self._path(self._target())
        await self._dispatch(event)  # priority bindings run here; otherwise the key goes to the target's queue
        first = path if event.is_forwarded else []
        # The key's path bottom-up, then the app twice: once for the key itself (a binding ran), once for
        # what its binding queued on the app (focus() is a callback there).
        await self._walk(token, [*first, self._app, self._app], partial(self._steady, token, 0))

    def _target(self) -> MessagePump:
        """Where Textual will forward the key: the focused widget, else the screen."""
        app = self._app
        return app.focused or app.screen

    def _path(self, node: MessagePump) -> list[MessagePump]:
        """The node and its ancestors up to the app (not included: the walks end at the app on purpose)."""
        if not isinstance(node, DOMNode):
            return []
        return [n for n in node.ancestors_with_self if n is not self._app]

    async def _walk(self, token: object, nodes: list[MessagePump], then: Callable[[], Awaitable[None]]) -> None:
        """Run `then` once each node in turn has handled what was in its queue (a node that has closed is
        skipped: it will not handle anything more). Each step is a callback in the node's own queue."""
        if token is not self._current:
            return
        for index, node in enumerate(nodes):
            if node.call_later(self._walk, token, nodes[index + 1 :], then):
                return
        await then()

    def _view(self) -> tuple[object, object]:
        app = self._app
        return app.screen, app.focused

    async def _steady(self, token: object, sweeps: int) -> None:
        """Sweep the focus chain as it is now; again while the sweep finds the screen or the focus moved."""
        if token is not self._current:
            return
        view = self._view()

        async def after() -> None:
            if self._view() != view and sweeps + 1 < MAX_SWEEPS:
                await self._steady(token, sweeps + 1)
            else:
                await self._release(token)

        await self._walk(token, [*self._path(self._target()), self._app], after)

    async def _release(self, token: object) -> None:
        if token is not self._current:
            return
        self._current = None
        if self._stuck is not None:
            self._stuck.cancel()
            self._stuck = None
        await self._next()

    def _unstick(self, token: object) -> None:
        if token is self._current:
            log.warning("a key was not handled within %.0f s; handing on the next one", STUCK_AFTER)
            self._app.call_later(self._release, token)


def _is_escape(event: events.Event) -> bool:
    return isinstance(event, events.Key) and event.key == "escape"
