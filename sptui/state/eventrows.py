"""The Events pane's rows: the event log of this run (and the journal's recent past), newest first.

The log lives in the app (it is fed by every poll, the connection and the operator's actions); the app puts it in
`ClusterState.derived` under EVENTS, and the pane is derived from it: laid out again when an event is added and
whenever the services answer (every couple of seconds), so the ages move on without a pass per second.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .events import SEVERITIES, Event, Severity
from .selection import Selection
from .snapshot import ClusterState, Row

if TYPE_CHECKING:
    from .eventlog import EventLog

EVENTS = "events"  # the key of the event log in ClusterState.derived

LEVELS: Mapping[Severity, str] = {"critical": "error", "warning": "warn", "ok": "muted"}
SEVERITY_WORDS: Mapping[Severity, str] = {"critical": "CRITICAL", "warning": "warning", "notice": "notice", "ok": "ok"}
FOLDED = "events"  # the selection kind of a folded row: `enter` lists its members


@dataclass(frozen=True)
class EventsData:
    """The events at one look (a copy: the log grows while rows are built off the event loop)."""

    events: tuple[Event, ...]
    revision: int
    first: int  # the number of the first one: how many the log has dropped (it keeps the latest KEEP)


def derive_events(state: ClusterState) -> EventsData | None:
    log: EventLog | None = state.derived.get(EVENTS)
    if log is None:
        return None
    last: EventsData | None = state.derived.get("events data")
    if last is None or last.revision != log.revision:  # a copy only when there is news
        events = tuple(log.events)
        last = state.derived["events data"] = EventsData(events, log.revision, log.total - len(events))
    return last


def trouble_since(state: ClusterState, ref: tuple[str, Any]) -> str:
    """' since 12-06 18:40:36' when the event log knows when the object's trouble began, else ''."""
    log: EventLog | None = state.derived.get(EVENTS)
    at = log.trouble_since(ref) if log is not None else None
    return f" since {when(at)}" if at is not None else ""


def when(epoch: float) -> str:
    """Local time, month and day first so that the column sorts as text in time order (within a year)."""
    return datetime.fromtimestamp(epoch).strftime("%m-%d %H:%M:%S")


def window(event: Event) -> str:
    """How long before it was seen the change may have happened (between two polls); '' for the first poll."""
    if event.since is None:
        return ""
    return f"within {max(0.0, event.at - event.since):.0f} s"


KIND_ORDER = ("api", "cluster", "server", "service", "disk", "volume", "snapshot", "task", "relocator", "balancer")


def _tie(event: Event) -> float:
    """Events seen in the same second read most severe first, then by kind, whichever poll answered first: a
    fraction of a second below what the Ago column shows (whole seconds), so the sort is the same every run."""
    kind = KIND_ORDER.index(event.kind) if event.kind in KIND_ORDER else len(KIND_ORDER)
    return (SEVERITIES.index(event.severity) * 20 + kind) * 1e-4


def event_rows(data: EventsData, state: ClusterState) -> tuple[dict[Hashable, Row], dict[Hashable, str]]:
    now = state.wall()
    rows: dict[Hashable, Row] = {}
    levels: dict[Hashable, str] = {}
    for number, event in enumerate(data.events, start=data.first):
        key = number  # an event keeps its number while it is kept
        rows[key] = {
            "severity": SEVERITY_WORDS[event.severity],
            "age": max(0.0, now - event.at) + _tie(event),
            "time": when(event.at),
            "kind": event.kind,
            "subject": event.subject,
            "text": event.text + (" — enter lists them" if event.members else ""),
            "said": event.text,
            "window": window(event),
            "ref": event.ref,
            "members": event.members,
        }
        if event.severity in LEVELS:
            levels[key] = LEVELS[event.severity]
    return rows, levels


def select_event(key: Hashable, row: Row) -> Selection | None:
    """The object an event is about; for a folded event, the group (its members are listed)."""
    members: Sequence[str] = row.get("members") or ()
    if members:
        return Selection(FOLDED, key, row)
    ref: Any = row.get("ref")
    return Selection(str(ref[0]), ref[1], row) if ref else None
