"""The Events pane: the app's event log (state/eventrows.py lays it out), no API call of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..columns import ESSENTIAL, Column, Kind
from ..eventrows import EventsData, derive_events
from ..snapshot import ClusterState

if TYPE_CHECKING:
    from ...api.client import SpClient


async def fetch_events(client: SpClient, state: ClusterState) -> Any:
    """No API call: the app's event log, or none where no log is kept (a watcher without the app)."""
    return derive_events(state) or EventsData((), 0, 0)


EVENTS_COLUMNS = (
    Column("age", "Ago", Kind.AGE, priority=ESSENTIAL),
    Column("severity", "Severity", Kind.STATE, priority=ESSENTIAL),
    Column("subject", "What", Kind.TEXT, max_width=30, priority=ESSENTIAL),
    Column("text", "Event", Kind.TEXT, max_width=90, priority=ESSENTIAL),
    Column("time", "Time", Kind.TEXT, priority=2),
    Column("window", "Window", Kind.TEXT, priority=4),
    Column("kind", "Kind", Kind.STATE, priority=3),
)
