"""The simulated cluster's state: plain dataclasses, no wire format.

Volumes do not store their objects one by one (the large preset would need tens of millions).
A volume of N objects has K disk sets ("groups"); object i lives on group i % K. A relocation
moves one slot of a group from one disk to another, object by object, so a group's objects can
be split between the old and the new disk while a task runs (see `Move`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

OBJECT_SIZE = 32 * 1024 * 1024
SECTOR = 512

# ObjectState values used by the simulator (types-15.02.md: ObjectState).
OBJECT_OK = 1
OBJECT_OUTDATED = 2
OBJECT_IN_RECOVERY = 3


class SimError(Exception):
    """The API says no: rendered as `{"error": {"name", "descr", "transient"}}` with `status`."""

    def __init__(self, name: str, descr: str, status: int, transient: bool = False) -> None:
        super().__init__(f"{name}: {descr}")
        self.name = name
        self.descr = descr
        self.status = status
        self.transient = transient


def _refusal(name: str, status: int) -> Callable[[str], SimError]:
    def refuse(descr: str) -> SimError:
        return SimError(name, descr, status)

    refuse.__doc__ = f"The {name} error ({status}) with `descr`."
    return refuse


invalid = _refusal("invalidParam", 400)
not_found = _refusal("objectNotFound", 404)
exists = _refusal("objectExists", 409)
busy = _refusal("busy", 409)
down = _refusal("objectDown", 409)
no_room = _refusal("insufficientResources", 409)


def not_running() -> SimError:
    return SimError("clusterNotRunning", "the cluster is not running (no quorum)", 503, transient=True)


@dataclass(slots=True)
class Service:
    """A StorPool service (server, client, AoE target) on a node, and whether it is down."""

    id: int
    node_id: int
    version: str
    down: bool = False


class Server(Service):
    __slots__ = ()


@dataclass(slots=True)
class Disk:
    id: int
    server_id: int
    model: str
    serial: str
    device: str
    drive: str  # "ssd", "nvme", "qlc" (61.44 TB NVMe) or "hdd"
    sectors: int
    capacity: int  # objects the disk can hold (DiskSummary.objectsCount)
    description: str = ""
    soft_eject: str = "off"
    failed: bool = False  # failed on its own or ejected (a server going down is tracked on the server)
    generation_left: int = -1
    ignored: bool = False
    sync_total: int = 0  # objects to resynchronise after coming back
    sync_done: float = 0.0
    reserved: int = 0  # objects held by something outside the simulated volumes (the fill_disk scenario)

    @property
    def ssd(self) -> bool:
        return self.drive != "hdd"


@dataclass(slots=True)
class Client(Service):
    generation: int = 0  # the configuration generation it has caught up with
    synced_at: float = 0.0  # sim time when it catches up with the cluster's generation
    lag: float = 0.5


class AoeTarget(Service):
    __slots__ = ()


@dataclass(slots=True)
class Maintenance:
    """A node in maintenance (API 19.01): set by MaintenanceSet, expires into "overrun" after `duration`."""

    node_id: int
    started: float  # unix seconds
    duration: int
    description: str


@dataclass(slots=True)
class Mgmt:
    id: int
    node_id: int
    version: str
    active: bool
    prio: int


@dataclass(slots=True)
class PlacementGroup:
    id: int
    name: str
    disks: set[int] = field(default_factory=set)


@dataclass(slots=True)
class Template:
    id: int
    name: str
    place_all: int  # placement group id
    place_tail: int
    replication: int | None
    size: int | None
    parent: str  # snapshot name or ""
    bw: int | str = "-"
    iops: int | str = "-"


@dataclass(slots=True, eq=False)
class Volume:
    """A volume or a snapshot (StorPool keeps both in one namespace)."""

    id: int
    name: str
    snapshot: bool
    size: int
    replication: int
    place_all: int
    place_tail: int
    groups: list[list[int]]  # K disk sets, each `replication` disk ids (tail last)
    created: int  # unix seconds
    created_generation: int
    fill: float  # share of the size written into this layer
    parent: int = 0  # parent snapshot id, 0 for none
    original_parent: int = 0
    template: int = 0  # template id, 0 for none
    bw: int | str = "-"
    iops: int | str = "-"
    on_volume: str = ""  # snapshots: the volume it was taken of
    auto_name: bool = False
    bound: bool = False
    transient: bool = False
    deleted: bool = False
    delete_at: float = 0.0
    lost: int = 0  # objects whose every copy is gone ("data lost")
    place_head: int = 0  # 19.01: the first copy's placement group id; 0: none set (the first copy goes by placeAll)
    tags: dict[str, str] = field(default_factory=dict)  # 19.01: name=value tags

    @property
    def objects(self) -> int:
        return max(1, -(-self.size // OBJECT_SIZE))

    def group_count(self, index: int) -> int:
        """How many objects group `index` holds (object i is in group i % K)."""
        k = len(self.groups)
        return max(0, (self.objects - index + k - 1) // k) if index < k else 0

    @property
    def stored_per_object(self) -> int:
        return int(self.fill * OBJECT_SIZE) // 4096 * 4096

    @property
    def on_disk_per_object(self) -> int:
        stored = self.stored_per_object
        return min(OBJECT_SIZE, -(-stored // 131072) * 131072) if stored else 0


@dataclass(slots=True, eq=False)
class Attachment:
    volume: int
    client: int
    rights: str
    pos: int
    open: bool = False  # a running VM holds it: detaching needs force


@dataclass(slots=True)
class Export:
    volume: int
    target: int
    aoe_id: str


@dataclass
class Balancer:
    """VolumeBalancerStatus and the plan a finished run left: (volume, group, slot, src, dst) per move."""

    status: str = "nothing to do"
    auto: bool = False
    phase_end: float = 0.0
    plan: list[tuple[int, int, int, int, int]] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Job:
    """One relocation (one transactionId): a soft-eject, its cancel, a balancer run, a recovery.

    `frac` runs 0 -> 1 while the objects move; a cancelled soft-eject runs it back to 0.
    """

    kind: str  # "eject", "balance" or "recovery"
    transaction_id: int
    moves: list[Move]
    rate: float  # objects per second
    disk: int = -1  # the soft-ejected disk, for kind "eject"
    frac: float = 0.0
    direction: int = 1
    paused: bool = False
    returning_from: float = 0.0  # frac when a cancel turned it around

    @property
    def total(self) -> int:
        return sum(m.count for m in self.moves)


@dataclass(slots=True, eq=False)
class Move:
    """One slot of one group moving from `src` to `dst` as part of `job`."""

    job: Job
    volume: int
    group: int
    slot: int
    src: int
    dst: int
    count: int

    @property
    def moved(self) -> int:
        return int(self.count * self.job.frac)
