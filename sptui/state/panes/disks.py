"""The Disks pane: one row a disk, with `disk list`'s used and free space."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import format as fmt
from ..capacity import disk_space
from ..columns import ESSENTIAL, Column, Kind
from ..selection import Selection
from ..snapshot import ClusterState, Row
from .spec import Levels, Rows, ratio

if TYPE_CHECKING:
    from collections.abc import Hashable

    from ...api.client import SpClient
    from ...api.models import DiskSummary


async def fetch_disks(client: SpClient, state: ClusterState) -> dict[int, Any]:
    return await client.disks_list()


def disk_state(disk: Any) -> str:
    return "up" if disk.up else "down"


def scrub_text(disk: DiskSummary) -> str:
    """19.01's scrubbing state in words; empty when the release (or a down disk) says nothing of it."""
    if disk.scrubbing_started_before is None and disk.scrubbing_paused is None:
        return ""
    done = fmt.size_bytes(disk.scrubbed_bytes or 0)
    if disk.scrubbing_paused:
        return f"paused {fmt.age(disk.scrubbing_paused_for or 0)}, {done} done"
    if disk.scrubbing_started_before:
        left = f", {fmt.age(disk.scrubbing_finish_after)} left" if disk.scrubbing_finish_after else ""
        return f"scrubbing, {done} done{left}"
    return "idle"


def disks_rows(data: dict[int, Any], state: ClusterState) -> tuple[Rows, Levels]:
    """One row a disk. A disk whose summary equals the one in the stored answer keeps its row (and level): a disks
    answer differs from the last in a few disks (19.01's scrubbing moves on), and 4,096 rows took ~20 ms."""
    rows: Rows = {}
    levels: Levels = {}
    stored = state.get("disks")
    before = stored.data if stored is not None else {}
    for disk_id, disk in data.items():
        if stored is not None and (last := before.get(disk_id)) is not None and last == disk and disk_id in stored.rows:
            rows[disk_id] = stored.rows[disk_id]
            if (level := stored.levels.get(disk_id)) is not None:
                levels[disk_id] = level
            continue
        up = disk.up
        space = disk_space(disk)  # `disk list`'s used, est.free and %; None for a down disk
        rows[disk_id] = {
            "id": disk_id,
            "server": disk.server_id,
            "state": disk_state(disk),
            "model": disk.model,
            "serial": disk.serial,
            "description": disk.description,
            "ssd": ("SSD" if disk.ssd else "HDD") if up else "",
            "size": disk.sectors_count * 512 if up else None,
            "on_disk": disk.objects_on_disk_size if up else None,
            "objects": ratio(disk.objects_allocated, disk.objects_count) if up else None,
            "entries": ratio(disk.entries_allocated, disk.entries_count) if up else None,
            "free_objects": disk.objects_free if up else None,
            "soft_eject": disk.soft_eject,
            "scrub": scrub_text(disk),
            "left": None if up else disk.generation_left,
            "used": space.used_ratio if space else None,
            "used_bytes": space.used if space else None,
            "free": space.free if space else None,
        }
        full = state.thresholds.level(space.used_ratio if space else None)
        if not up or full == "alarm":
            levels[disk_id] = "error"
        elif disk.soft_eject != "off" or full == "warn":
            levels[disk_id] = "warn"
    return rows, levels


DISKS_COLUMNS = (
    Column("id", "Disk", Kind.ID, priority=ESSENTIAL),
    Column("server", "Server", Kind.ID, priority=ESSENTIAL),
    Column("state", "State", Kind.STATE, priority=ESSENTIAL),
    Column("soft_eject", "Soft-eject", Kind.STATE, priority=ESSENTIAL),
    # What `disk list` shows as %, used and est.free. Identifying and alarming columns are ESSENTIAL: they show
    # at any width (state/fit.py); the rest fill what is left, lowest priority number first.
    Column("used", "Used", Kind.PERCENT, priority=ESSENTIAL),
    Column("free", "Est. free", Kind.BYTES, priority=1),
    Column("used_bytes", "Used bytes", Kind.BYTES, priority=6),
    Column("size", "Size", Kind.BYTES, priority=2),
    Column("scrub", "Scrubbing", Kind.TEXT, max_width=36, priority=4),  # 19.01; empty for 15.02
    Column("ssd", "Type", Kind.TEXT, priority=3),
    Column("objects", "Objects used", Kind.PERCENT, priority=4),
    Column("entries", "Entries used", Kind.PERCENT, priority=4),
    Column("free_objects", "Free objects", Kind.COUNT, priority=6),
    Column("on_disk", "On disk", Kind.BYTES, priority=6),
    Column("model", "Model", Kind.TEXT, max_width=40, priority=3),
    Column("serial", "Serial", Kind.TEXT, max_width=20, priority=ESSENTIAL),
    Column("description", "Description", Kind.TEXT, max_width=30, priority=7),
    Column("left", "Down since gen", Kind.COUNT, priority=2),
)


def select_disk(key: Hashable, row: Row) -> Selection:
    return Selection("disk", row["id"] if "id" in row else row["disk"], row)
