"""The Capacity pane's columns and row behaviour; its rows are state/capacity.py's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..capacity import CAPACITY_RESOURCE
from ..columns import ESSENTIAL, Column, Kind
from ..selection import Selection
from ..snapshot import ClusterState, Row

if TYPE_CHECKING:
    from collections.abc import Hashable


def derive_capacity(state: ClusterState) -> Any:
    """The last templates and placement groups, to lay out again over new disk figures."""
    snapshot = state.get(CAPACITY_RESOURCE)
    return snapshot.data if snapshot is not None else None


def select_capacity(key: Hashable, row: Row) -> Selection:
    """A template opens its volumes, a placement group its disks (ui/drill.py)."""
    return Selection(str(row["kind"]), row["name"], row)


def capacity_rank(row: Row) -> Any:
    return row.get("rank", (2, 2, 0))


CAPACITY_COLUMNS = (  # what is left first
    Column("name", "Name", Kind.ID, max_width=30, priority=ESSENTIAL),
    Column("kind", "Kind", Kind.STATE, priority=1),
    Column("used", "Used", Kind.PERCENT, priority=ESSENTIAL),
    Column("available", "Available", Kind.BYTES, priority=ESSENTIAL),
    Column("capacity", "Capacity", Kind.BYTES, priority=1),
    Column("placement", "Placement", Kind.TEXT, max_width=30, priority=2),
    Column("replication", "Repl", Kind.COUNT, priority=3),
    Column("stored", "Stored", Kind.BYTES, priority=3),
    Column("raw_used", "Raw used", Kind.BYTES, priority=4),
    Column("size", "Size", Kind.BYTES, priority=4),
    Column("volumes", "Volumes", Kind.COUNT, priority=5),
    Column("snapshots", "Snapshots", Kind.COUNT, priority=5),
)
