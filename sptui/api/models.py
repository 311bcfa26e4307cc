"""msgspec Structs for what the StorPool API (15.02 and 19.01) returns and accepts.

Attributes are snake_case; `rename="camel"` maps them to the wire names. Unknown fields are
ignored and most fields have defaults, so answers from newer (or older) releases still decode.
Enum-like values (statuses, request ops, soft-eject state) stay plain `str`: a value this code
has never heard of is shown, not rejected. Only what the UI and the summaries use is declared,
which is also what keeps a 200k-object DiskDescribe fast to decode.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

# Bandwidth / IOPS: an integer, or "-" for unlimited. Template sizes and replications also use "-".
Limit = int | str

OBJECT_STATES: tuple[str, ...] = (
    "OBJECT_UNDEF",
    "OBJECT_OK",
    "OBJECT_OUTDATED",
    "OBJECT_IN_RECOVERY",
    "OBJECT_WAITING_FOR_VERSION",
    "OBJECT_WAITING_FOR_DISK",
    "OBJECT_DATA_NOT_PRESENT",
    "OBJECT_DATA_LOST",
    "OBJECT_WAINING_FOR_CHAIN",  # sic: the API's own spelling
    "OBJECT_WAIT_IDLE",
)


def object_state_name(state: int) -> str:
    """The ObjectState name of a number; newer releases may add states, so never fail."""
    if 0 <= state < len(OBJECT_STATES):
        return OBJECT_STATES[state]
    return f"unknown state {state}"


class Model(msgspec.Struct, rename="camel", kw_only=True, frozen=True, gc=False):
    """Base of every answer: camelCase on the wire, keyword-only, immutable (snapshots are shared).

    Subclasses inherit frozen at runtime but repeat `frozen=True`: type checkers read each class's keywords
    on their own (PEP 681), and msgspec's advice is to restate it rather than ignore the error.

    gc=False: decoded JSON is a tree and can never form a reference cycle, and leaving 20,000
    volume statuses out of the cyclic collector's walks cut decoding time by half or more.
    """


# --- generic answers -------------------------------------------------------------------------


class ApiOk(Model, frozen=True):
    """The answer of every mutation; VolumeCreate and VolumeSnapshot may add the auto-generated name."""

    ok: bool
    generation: int = 0
    auto_name: str | None = None


# --- network and services --------------------------------------------------------------------


class NetDesc(Model, frozen=True):
    mac: str = ""


class PeerDesc(Model, frozen=True):
    networks: dict[int, NetDesc] = {}


class Service(Model, frozen=True):
    """One service of ServicesList. The dict key is its id, so `id` may be left out; 19.01 marks
    `nodeId` optional and adds `startTime` (UNIX seconds, null when not known)."""

    id: int | None = None
    node_id: int | None = None
    status: str = ""
    version: str = ""
    start_time: int | None = None


class Server(Service, frozen=True):
    missing_disks: list[int] = []
    pending_disks: list[int] = []


class Client(Service, frozen=True):
    pass


class Mgmt(Service, frozen=True):
    active: bool = False
    prio: int = 0


class AoeTarget(Service, frozen=True):
    """15.02 only."""


class Bridge(Service, frozen=True):
    """19.01 and newer: a remote-cluster bridge."""


class IscsiTarget(Service, frozen=True):
    """19.01 and newer: an iSCSI target service."""


class ClusterStatus(Model, frozen=True):
    """ServicesList / ServersListBlocked. 19.01 drops `aoeTargets` and adds `bridges` and `iscsiTargets`."""

    cluster_status: str = ""
    servers: dict[int, Server] = {}
    clients: dict[int, Client] = {}
    mgmt: dict[int, Mgmt] = {}
    aoe_targets: dict[int, AoeTarget] = {}
    bridges: dict[int, Bridge] = {}
    iscsi_targets: dict[int, IscsiTarget] = {}


class ClientConfigStatus(Model, frozen=True):
    id: int
    generation: int = 0
    client_generation: int = 0
    config_status: str = ""
    delay: int = 0


class AoeExport(Model, frozen=True):
    name: str
    snapshot: bool = False
    aoe_id: str = ""
    target: int | None = None
    status: str = ""


class Task(Model, frozen=True):
    disk_id: int
    transaction_id: int = 0
    all_objects: int = 0
    completed_objects: int = 0
    dispatched_objects: int = 0
    unresolved_objects: int = 0


# --- active requests -------------------------------------------------------------------------


class ActiveRequest(Model, frozen=True):
    """One in-flight I/O. `op` and the internal states are free text: newer releases add ops
    such as "idle"."""

    request_id: str = ""
    request_idx: int = 0
    volume: str = ""
    address: int = 0
    size: int = 0
    op: str = ""
    msec_active: int = 0
    state: str = ""
    prev_state: str = ""
    dr_op: str = ""


class ServiceRef(Model, frozen=True):
    """Which service an AllPeersActiveRequests entry comes from: `type` is "client", "server", "bridge", ..."""

    id: str = ""
    type: str = ""


class PeerActiveRequest(Model, frozen=True):
    """One entry of AllPeersActiveRequests (19.01): a request (`status` "request") or a status
    message about a peer or disk. Its age is in microseconds, unlike the per-service calls."""

    status: str = ""
    peer_id: int | None = None
    service: ServiceRef = ServiceRef()
    disk_id: int | None = None
    request_id: str = ""
    request_idx: int = 0
    volume: str = ""
    address: int = 0
    size: int = 0
    op: str = ""
    usec_active: int = 0
    disk_state: str = ""
    last_state: str = ""


class AllPeersActiveRequests(Model, frozen=True):
    requests: list[PeerActiveRequest] = []


class ClientActiveRequests(Model, frozen=True):
    client_id: int
    requests: list[ActiveRequest] = []


class DiskActiveRequests(Model, frozen=True):
    disk_id: int
    requests: list[ActiveRequest] = []


class AoeTargetActiveRequests(Model, frozen=True):
    aoe_target_id: int
    requests: list[ActiveRequest] = []


# --- disks -----------------------------------------------------------------------------------


class DiskSummary(Model, frozen=True):
    """Either shape of a disk: the full summary of an up disk (generationLeft == -1) or the short
    one of a down disk, whose missing fields keep their defaults."""

    id: int
    server_id: int = 0
    generation_left: int = -1
    model: str = ""
    serial: str = ""
    description: str = ""
    soft_eject: str = "off"
    ssd: bool = False
    empty: bool = False
    device: str = ""
    entries_allocated: int = 0
    entries_count: int = 0
    entries_free: int = 0
    objects_allocated: int = 0
    objects_count: int = 0
    objects_free: int = 0
    objects_on_disk_size: int = 0
    sectors_count: int = 0
    is_wbc: bool = False
    no_fua: bool = False
    # Allocation groups (512 MiB each; the reference marks them internal): the only byte figures of a disk's
    # fill, which is what capacity is computed from (state/capacity.py). Absent for a down disk.
    ag_count: int = 0
    ag_allocated: int = 0
    ag_free: int = 0
    # 19.01: scrubbing (absent in 15.02 and for a down disk). Durations in seconds.
    scrubbing_started_before: int | None = None
    scrubbed_bytes: int | None = None
    scrubbing_bw: int | None = msgspec.field(default=None, name="scrubbingBW")
    scrubbing_finish_after: int | None = None
    scrubbing_paused_for: int | None = None
    scrubbing_paused: bool | None = None
    last_scrub_completed: int | None = None

    @property
    def up(self) -> bool:
        return self.generation_left == -1


class DiskObject(Model, frozen=True):
    """One object on a disk; there can be hundreds of thousands, so no GC tracking (scalars only).

    objectId and volumeId are left out: the reference marks them internal, and skipping them takes ~15% off
    decoding a 200k-object answer.
    """

    volume: str = ""
    parent_volume: str = ""
    state: int = 0
    stored_size: int = 0
    on_disk_size: int = 0
    version: int = 0
    generation: int = 0

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


class VolumeStatus(Model, frozen=True):
    """VolumesGetStatus: `status` is "up", "up soon", "data lost", "down" in 15.02 (kept as text)."""

    name: str
    snapshot: bool = False
    status: str = ""
    size: int = 0
    replication: int = 0
    migrating: bool = False
    decreased_redundancy: bool = False
    balancer_blocked: bool = False
    down_bytes: int = 0
    down_drives: list[int] = []
    missing_drives: list[int] = []
    missing_target_drives: list[int] = []
    soft_ejecting_drives: list[int] = []
    on_disk_size: int = 0
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


# --- maintenance (19.01) ----------------------------------------------------------------------


class MaintenanceNode(Model, frozen=True):
    """A node in maintenance: `started` is UNIX seconds, `duration` and `remaining` seconds."""

    node_id: int
    description: str = ""
    duration: int = 0
    started: int = 0
    remaining: int | None = None
    overrun: bool = False


class MaintenanceList(Model, frozen=True):
    nodes: list[MaintenanceNode] = []


# --- relocator and balancer ------------------------------------------------------------------


class RelocatorStatus(Model, frozen=True):
    status: str = ""


class BalancerStatus(Model, frozen=True):
    status: str = ""
    auto: bool = False


class TargetDesc(Model, frozen=True):
    current: int = 0
    target: int = 0
    delta: int = 0
    to_recover: int = 0


class DiskTarget(Model, frozen=True):
    """Either shape of a relocation/balancer estimate: the estimates are absent when the disk is down."""

    id: int
    server_id: int = 0
    generation_left: int = -1
    objects_count: int = 0
    objects_allocated: TargetDesc | None = None
    on_disk_size: TargetDesc | None = None
    stored_size: TargetDesc | None = None

    @property
    def up(self) -> bool:
        return self.generation_left == -1


class BalancerVolumeStatus(Model, frozen=True):
    name: str
    snapshot: bool = False
    blocked: bool = False
    reallocated: bool = False
    objects_count: int = 0
    place_all: str = ""
    place_tail: str = ""
    replication: int = 0
    size: int = 0


class BalancerVolumeDiskSets(BalancerVolumeStatus, frozen=True):
    current_disk_sets: list[list[int]] = []
    balancer_disk_sets: list[list[int]] = []


class BalancerSlot(Model, frozen=True):
    stored_size: int = 0
    objects_count: int = 0


class BalancerGroup(Model, frozen=True):
    root: str = ""
    volumes: list[str] = []
    blocked: bool = False
    feasible: bool = False
    objects_count: int = 0
    place_all: str = ""
    place_tail: str = ""
    replication: int = 0
    size: int = 0
    stored_size: int = 0
    slots: list[BalancerSlot] = []
    target_disk_sets: list[list[int]] = []


# --- request bodies --------------------------------------------------------------------------


class VolumeReassign(msgspec.Struct, rename="camel", omit_defaults=True, frozen=True):
    """One VolumesReassign item for a volume: attach rw/ro on clients, detach from some or "all"."""

    volume: str
    rw: list[int] | None = None
    ro: list[int] | None = None
    detach: list[int] | Literal["all"] | None = None
    force: bool = False


class SnapshotReassign(msgspec.Struct, rename="camel", omit_defaults=True, frozen=True):
    """One VolumesReassign item for a snapshot: snapshots attach read-only only."""

    snapshot: str
    ro: list[int] | None = None
    detach: list[int] | Literal["all"] | None = None
    force: bool = False
