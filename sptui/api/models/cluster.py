"""The cluster's services, network peers, client configuration, tasks, in-flight requests and maintenance."""

from __future__ import annotations

from .base import Model

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


class RequestFields(Model, frozen=True):
    """What every report of an in-flight request says, whichever call it comes from."""

    request_id: str = ""
    request_idx: int = 0
    volume: str = ""
    address: int = 0
    size: int = 0
    op: str = ""


class ActiveRequest(RequestFields, frozen=True):
    """One in-flight I/O. `op` and the internal states are free text: newer releases add ops
    such as "idle"."""

    msec_active: int = 0
    state: str = ""
    prev_state: str = ""
    dr_op: str = ""


class ServiceRef(Model, frozen=True):
    """Which service an AllPeersActiveRequests entry comes from: `type` is "client", "server", "bridge", ..."""

    id: str = ""
    type: str = ""


class PeerActiveRequest(RequestFields, frozen=True):
    """One entry of AllPeersActiveRequests (19.01): a request (`status` "request") or a status
    message about a peer or disk. Its age is in microseconds, unlike the per-service calls."""

    status: str = ""
    peer_id: int | None = None
    service: ServiceRef = ServiceRef()
    disk_id: int | None = None
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
