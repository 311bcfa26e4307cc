"""When the cyclic garbage collector may walk the whole heap: once the first load is in, and then only at idle moments.

Why: at large (20,000 volume rows) a full collection took 40-110 ms (it walks every live container, and the
table's columns, sort keys and filter index hold hundreds of thousands of references), and Python's own
thresholds ran one about every ten sort or filter keys: the keypress's maximum was that collection. Two
changes, measured headless at large (see the commit):

- `gc.freeze()` once every resource of the first round has answered: the start-up heap (imports, Textual,
  the stylesheet, the dashboard and its widgets, about 90,000 objects, all alive for the whole run) moves to
  the permanent generation and is never walked again (polls off: a full collection 2 ms instead of 60-110).
  Only once, and before any detail screen or form exists: a frozen object is never collected if it later
  becomes cyclic garbage, and the dashboard is never closed. Reference counting still frees frozen objects
  that are not in cycles (an old snapshot's rows). Not again after later answers: polls replace most rows
  within 30 s, so the next collection would walk as much as before, and whatever cycles were alive then (a
  worker, a detail screen) would be kept for good.
- Full collections are moved to idle moments: Python's automatic one waits ten times longer than usual
  (a backstop for a long burst of keys), and the app's one-second tick asks for one when no key is in
  flight or arrived in the last second, enough young collections have run since the last, and the last was
  long enough ago that idle polls do not pay for it over and over, or a screen has closed since (a detail
  screen's widgets are cycles holding its rows: 200,000 objects' worth must not wait 30 s to be freed).

Young collections (generations 0 and 1) stay automatic: they walk only recent objects and take a few ms.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field

BACKSTOP = 10  # the automatic full collection waits this many times as many young collections as Python's
FULL_AFTER = 10  # young (generation 1) collections since the last full one before an idle one is worth it
FULL_EVERY = 30.0  # seconds between idle full collections at least (each walks the live rows: tens of ms)
QUIET = 1.0  # seconds without a key before a moment counts as idle


@dataclass(frozen=True)
class GcHooks:
    """The `gc` functions the policy calls: the real ones, or a test's recorder."""

    collect: Callable[[], object] = gc.collect
    freeze: Callable[[], None] = gc.freeze
    get_count: Callable[[], tuple[int, int, int]] = gc.get_count
    get_threshold: Callable[[], tuple[int, int, int]] = gc.get_threshold
    set_threshold: Callable[[int, int, int], None] = gc.set_threshold


@dataclass
class GcPolicy:
    """The app calls `start` when it mounts, `loaded` when the first round of polls has answered, `key` for
    each key it receives and `idle` every second."""

    clock: Callable[[], float]
    hooks: GcHooks = field(default_factory=GcHooks)
    frozen: bool = False
    full_collections: int = 0  # run by `idle` (not counting the backstop's)
    _last_key: float | None = None
    _last_full: float | None = None
    _deepest: int = 0  # the most screens open since the last full collection

    def start(self) -> None:
        """Python's automatic full collection becomes a backstop: it waits BACKSTOP times longer."""
        young, middle, old = self.hooks.get_threshold()
        self.hooks.set_threshold(young, middle, old * BACKSTOP)
        self._last_full = self.clock()

    def loaded(self) -> None:
        """The first load is in: collect what start-up left behind, then freeze the rest (once)."""
        if self.frozen:
            return
        self.frozen = True
        self.hooks.collect()
        self.hooks.freeze()
        self._last_full = self.clock()

    def key(self) -> None:
        self._last_key = self.clock()

    def idle(self, keys_pending: bool, screens: int) -> bool:
        """A full collection now if this is an idle moment and one is due (`screens`: how many are open); True
        when it ran."""
        now = self.clock()
        self._deepest = max(self._deepest, screens)
        if keys_pending or (self._last_key is not None and now - self._last_key < QUIET):
            return False
        closed = screens < self._deepest
        waited = self._last_full is None or now - self._last_full >= FULL_EVERY
        if not closed and not (waited and self.hooks.get_count()[2] >= FULL_AFTER):
            return False
        self.hooks.collect()
        self._last_full = now
        self._deepest = screens
        self.full_collections += 1
        return True
