"""The Volumes pane: volumes and snapshots with their status, worst first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..columns import ESSENTIAL, Column, Kind
from ..selection import Selection
from ..snapshot import ClusterState, Row
from .spec import Levels, Rows

if TYPE_CHECKING:
    from collections.abc import Hashable

    from ...api.client import SpClient


async def fetch_volumes(client: SpClient, state: ClusterState) -> dict[str, Any]:
    return await client.volumes_status()


VOLUME_HEALTH_ORDER = {"data lost": 0, "down": 1, "degraded": 2, "up soon": 3, "up": 4}


def volume_health(status: Any) -> str:
    """The operator's word for a volume: its status, or "degraded" when it is up but missing drives."""
    if status.status == "up" and (status.missing_drives or status.decreased_redundancy):
        return "degraded"
    return status.status


def _drives(ids: Any) -> str:
    return ",".join(str(i) for i in sorted(ids)) if ids else ""


def volumes_rows(data: dict[str, Any], state: ClusterState) -> tuple[Rows, Levels]:
    rows: Rows = {}
    levels: Levels = {}
    for name, vol in data.items():
        health = volume_health(vol)
        rows[name] = {
            "name": vol.name or name,
            "type": "snapshot" if vol.snapshot else "volume",
            "size": vol.size,
            "replication": vol.replication,
            "status": health,
            "migrating": "migrating" if vol.migrating else "",
            "syncing": vol.syncing_data_bytes or None,
            "stored": vol.stored_size,
            "on_disk": vol.on_disk_size,
            "missing": _drives(vol.missing_drives),
            "down": _drives(vol.down_drives),
            "ejecting": _drives(vol.soft_ejecting_drives),
        }
        if health in ("data lost", "down"):
            levels[name] = "error"
        elif health != "up":
            levels[name] = "warn"
    return rows, levels


def volume_rank(row: Row) -> int:
    return VOLUME_HEALTH_ORDER.get(row.get("status", ""), 2)


VOLUMES_COLUMNS = (
    Column("name", "Name", Kind.ID, max_width=40, priority=ESSENTIAL),
    Column("type", "Type", Kind.STATE, priority=1),
    Column("status", "Status", Kind.STATE, priority=ESSENTIAL),
    Column("size", "Size", Kind.BYTES, priority=1),
    Column("replication", "Repl", Kind.COUNT, priority=2),
    Column("stored", "Stored", Kind.BYTES, priority=3),
    Column("on_disk", "On disk", Kind.BYTES, priority=4),
    Column("migrating", "Migrating", Kind.STATE, priority=2),
    Column("syncing", "Syncing", Kind.BYTES, priority=2),
    Column("missing", "Missing drives", Kind.TEXT, max_width=30, priority=1),
    Column("down", "Down drives", Kind.TEXT, max_width=30, priority=1),
    Column("ejecting", "Soft-ejecting", Kind.TEXT, max_width=30, priority=2),
)


def select_volume(key: Hashable, row: Row) -> Selection:
    return Selection(row["type"], key, row)
