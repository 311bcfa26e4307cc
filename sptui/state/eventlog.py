"""The event log of a running sptui: what the polls, the connection and the operator's actions produced, kept in
memory for the Events view and appended to the journal, with the journal's recent past loaded on start."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from .actionlog import Entry
from .events import Event, Journalist, Severity
from .health import connection_of
from .journal import Journal, read
from .snapshot import ClusterState, Snapshot

KEEP = 5000  # events held in memory; the journal keeps more
RECENT = 24 * 3600.0  # how far back a start loads the journal

ACTION_SEVERITY: dict[str, Severity] = {"ok": "notice", "refused": "warning", "unknown": "warning"}


class EventLog:
    """Feeds the Journalist, keeps its events and writes them to the journal (if any)."""

    def __init__(self, wall: Callable[[], float], journal: Journal | None = None, keep: int = KEEP) -> None:
        self.wall = wall
        self.journal = journal
        self.journalist = Journalist(wall)
        self.events: deque[Event] = deque(maxlen=keep)
        self.revision = 0  # changes with every event added, so a view redraws only when there is news
        self.total = 0  # events ever added, the dropped ones too: numbers them for the Events pane
        self.listeners: list[Callable[[list[Event]], None]] = []  # told of each batch added (the Events pane)
        self.skipped = 0  # journal lines that could not be read on start
        self._connection = "connecting"

    @property
    def error(self) -> str | None:
        """Why the journal is not being written, once that has happened."""
        return self.journal.error if self.journal is not None else None

    def start(self) -> list[Event]:
        """Load the journal's recent events, and mark the time no sptui was watching."""
        if self.journal is None:
            return []
        now = self.wall()
        try:
            earlier, self.skipped = read(self.journal.path, since=now - RECENT)
        except OSError as error:
            earlier, self.journal.error = [], f"cannot read the journal {self.journal.path}: {error.strerror or error}"
        self.events.extend(earlier)
        self.total += len(earlier)
        self.revision += 1
        gap = self.journal.gap(now)
        added = self._add([gap] if gap is not None else [])
        self.journal.alive(now)
        return added

    def observe(
        self, snapshot: Snapshot, followed_disks: frozenset[Hashable] = frozenset(), unchanged: bool = False
    ) -> list[Event]:
        return self._add(self.journalist.observe(snapshot, followed_disks, unchanged))

    def connection(self, state: ClusterState) -> list[Event]:
        """Events when the API became unreachable, refusing or answering again. All are journaled; those of
        the first answers of a run are not returned as news (the health bar already says it at start)."""
        now, reason = connection_of(state)
        if now == "retrying":
            return []  # some calls fail: on the way down or up, or a blip; the panes say which
        before, self._connection = self._connection, now
        added = self._add(self.journalist.connection(before, now, reason))
        return added if before != "connecting" else []

    def action(self, entry: Entry) -> list[Event]:
        subject = f"{entry.what} {entry.target}"
        event = Event(self.wall(), ACTION_SEVERITY.get(entry.outcome, "warning"), "action", subject, entry.result)
        return self._add([event])

    def add(self, events: Iterable[Event]) -> list[Event]:
        """Events made elsewhere (a followed action ending or stalling), journaled like the rest."""
        return self._add(events)

    def trouble_since(self, ref: tuple[str, Any]) -> float | None:
        """When the object's present trouble was first seen (this run or, from the journal, an earlier one): the
        oldest critical event about it since the last one saying it recovered; None when none is known."""
        subject = f"{ref[0]} {ref[1]}"
        found = None
        for event in reversed(self.events):
            if event.ref != ref and subject not in event.members:
                continue
            if event.severity == "ok":
                break
            if event.severity == "critical":
                found = event.at
        return found

    def alive(self) -> None:
        if self.journal is not None:
            self.journal.alive(self.wall())

    def _add(self, events: Iterable[Event]) -> list[Event]:
        added = list(events)
        if added:
            self.events.extend(added)
            self.total += len(added)
            self.revision += 1
            if self.journal is not None:
                self.journal.append(added)
            for listener in self.listeners:
                listener(added)
        return added
