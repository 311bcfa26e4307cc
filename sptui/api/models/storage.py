"""Disks, volumes, snapshots, attachments, placement groups and templates."""

from __future__ import annotations

from typing import Any

import msgspec

from .base import Limit, Model

# --- disks -----------------------------------------------------------------------------------


class DiskSummary(Model, kw_only=True, frozen=True):
    """Either shape of a disk: the full summary of an up disk (generationLeft == -1) or the short
    one of a down disk, whose missing fields keep their defaults.

    Fields are declared in the wire's order (StorPool's JSON lists an object's keys sorted, as the
    reference does): msgspec looks for each key from where the last one matched, so in order every key is
    found at the first try. A key with no field is looked for through every field before it is skipped,
    which costs more than decoding its int: so the reference's scalar keys are all declared, those the app
    does not read too (4,096 disks: ~3.85 -> ~3.5 ms at 15.02, ~4.75 -> ~4.1 ms at 19.01). The two nested
    internal ones (aggregateScore, wbc) stay undeclared: a struct for each would cost as much as it saves.
    """

    # Allocation groups (512 MiB each; the reference marks them internal): the only byte figures of a disk's
    # fill, which is what capacity is computed from (state/capacity.py). Absent for a down disk.
    ag_allocated: int = 0
    ag_count: int = 0
    ag_free: int = 0
    # Internal, not read by the app: declared only so that their keys are found (see above).
    ag_freeing: int = 0
    ag_full: int = 0
    ag_max_size_full: int = 0
    ag_max_size_partial: int = 0
    ag_partial: int = 0
    description: str = ""
    device: str = ""
    empty: bool = False
    entries_allocated: int = 0
    entries_count: int = 0
    entries_free: int = 0
    generation_left: int = -1
    id: int
    is_wbc: bool = False
    journaled: bool = False  # 19.01, as the two below: not read by the app, declared so that their keys are found
    # 19.01: scrubbing (absent in 15.02 and for a down disk). Durations in seconds.
    last_scrub_completed: int | None = None
    model: str = ""
    no_flush: bool = False
    no_fua: bool = False
    no_trim: bool = False
    objects_allocated: int = 0
    objects_count: int = 0
    objects_free: int = 0
    objects_on_disk_size: int = 0
    scrubbed_bytes: int | None = None
    scrubbing_bw: int | None = msgspec.field(default=None, name="scrubbingBW")
    scrubbing_finish_after: int | None = None
    scrubbing_paused: bool | None = None
    scrubbing_paused_for: int | None = None
    scrubbing_started_before: int | None = None
    sectors_count: int = 0
    serial: str = ""
    server_id: int = 0
    soft_eject: str = "off"
    ssd: bool = False

    @property
    def up(self) -> bool:
        return self.generation_left == -1


class DiskObject(Model, frozen=True):
    """One object on a disk; there can be hundreds of thousands, so no GC tracking (scalars only).

    objectId and volumeId are left out: the reference marks them internal, and skipping them takes ~15% off
    decoding a 200k-object answer. Fields in the wire's (sorted) order, as DiskSummary's.
    """

    generation: int = 0
    on_disk_size: int = 0
    parent_volume: str = ""
    state: int = 0
    stored_size: int = 0
    version: int = 0
    volume: str = ""

    def get(self, field: str, default: Any = None) -> Any:
        """A field by name: the disk's objects table reads these structs as its rows, 200k of them uncopied."""
        return getattr(self, field, default)


class Disk(DiskSummary, frozen=True):
    objects: dict[int, DiskObject] = {}


class DiskVolumeInfo(Model, frozen=True):
    name: str = ""
    objects_count: int = 0
    on_disk_size: int = 0
    stored_size: int = 0
    object_states: dict[int, int] = {}


class DiskInfo(DiskSummary, frozen=True):
    object_states: dict[int, int] = {}
    volume_infos: dict[str, DiskVolumeInfo] = {}


# --- volumes and snapshots -------------------------------------------------------------------


class VolumeStatus(Model, kw_only=True, frozen=True):
    """VolumesGetStatus: `status` is "up", "up soon", "data lost", "down" in 15.02 (kept as text).

    The drive lists are tuples: 20,000 volumes hold 80,000 of them, mostly empty, and an empty tuple is one
    shared object where every empty list would be a new one for the cyclic collector to track and walk.
    Fields in the wire's (sorted) order, as DiskSummary's.
    """

    balancer_blocked: bool = False
    decreased_redundancy: bool = False
    down_bytes: int = 0
    down_drives: tuple[int, ...] = ()
    migrating: bool = False
    missing_drives: tuple[int, ...] = ()
    missing_target_drives: tuple[int, ...] = ()
    name: str
    on_disk_size: int = 0
    replication: int = 0
    size: int = 0
    snapshot: bool = False
    soft_ejecting_drives: tuple[int, ...] = ()
    status: str = ""
    stored_size: int = 0
    syncing_data_bytes: int = 0
    syncing_meta_objects: int = 0


class VolumeSummary(Model, frozen=True):
    name: str
    size: int = 0
    replication: int = 0
    place_all: str = ""
    place_tail: str = ""
    parent_name: str = ""
    template_name: str = ""
    bw: Limit = "-"
    iops: Limit = "-"
    creation_timestamp: int = 0
    objects_count: int = 0
    id: int = 0
    parent_volume_id: int = 0
    original_parent_volume_id: int = 0
    visible_volume_id: int = 0
    template_id: int = 0
    # 19.01: the first copy's placement group ("" where the release has none) and name=value tags.
    place_head: str = ""
    tags: dict[str, str] = {}


class SnapshotSummary(VolumeSummary, frozen=True):
    on_volume: str = ""
    auto_name: bool = False
    bound: bool = False
    deleted: bool = False
    transient: bool = False


class SnapshotSpace(SnapshotSummary, frozen=True):
    stored_size: int = 0
    space_used: int = 0


class Volume(VolumeSummary, frozen=True):
    target_disk_sets: list[list[int]] = []
    objects: list[list[int]] = []


class Snapshot(SnapshotSummary, frozen=True):
    target_disk_sets: list[list[int]] = []
    objects: list[list[int]] = []


class VolumeChainStat(Model, frozen=True):
    disks: list[int] = []
    count: int = 0


class VolumeInfo(VolumeSummary, frozen=True):
    disks_count: int = 0
    objects_per_disk: dict[int, int] = {}
    objects_per_chain: list[VolumeChainStat] = []
    objects_per_disk_set: list[VolumeChainStat] = []


class SnapshotInfo(SnapshotSummary, frozen=True):
    disks_count: int = 0
    objects_per_disk: dict[int, int] = {}
    objects_per_chain: list[VolumeChainStat] = []
    objects_per_disk_set: list[VolumeChainStat] = []


class Attachment(Model, frozen=True):
    volume: str
    snapshot: bool = False
    client: int = 0
    rights: str = ""
    pos: int = 0


# --- placement groups and templates ----------------------------------------------------------


class PlacementGroup(Model, frozen=True):
    name: str
    id: int = 0
    disks: list[int] = []
    servers: list[int] = []


class VolumeTemplate(Model, frozen=True):
    """A template; "-" in size, replication, bw or iops means "not set by the template"."""

    name: str
    size: Limit = "-"
    replication: Limit = "-"
    place_all: str = ""
    place_tail: str = ""
    parent_name: str = ""
    bw: Limit = "-"
    iops: Limit = "-"
    id: int = 0


class StoredSpace(Model, frozen=True):
    capacity: int = 0
    free: int = 0


class TemplateStored(StoredSpace, frozen=True):
    """19.01's `stored{}` of VolumeTemplatesStatus: what each placement can still hold."""

    place_all: StoredSpace | None = None
    place_head: StoredSpace | None = None
    place_tail: StoredSpace | None = None


class VolumeTemplateStatus(Model, frozen=True):
    name: str
    id: int = 0
    place_all: str = ""
    place_head: str = ""
    place_tail: str = ""
    replication: Limit = "-"
    size: int = 0
    total_size: int = 0
    volumes_count: int = 0
    snapshots_count: int = 0
    removing_snapshots_count: int = 0
    stored_size: int = 0
    on_disk_size: int = 0
    # Raw bytes per placement group; None when the release leaves one out (15.02 has no placeHead), so an
    # absent figure is never read as "no space left".
    available_place_all: int | None = None
    available_place_head: int | None = None
    available_place_tail: int | None = None
    capacity_place_all: int | None = None
    capacity_place_head: int | None = None
    capacity_place_tail: int | None = None
    stored: TemplateStored | None = None
