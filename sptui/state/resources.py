"""The registry of polled resources: one ResourceSpec each.

A spec says how to fetch a resource, how to turn what the API answered into keyed
rows of typed columns, how often to poll it (and whether while hidden), whether it counts
for the connection state, what it implies, its status line, and where `enter` leads.
Panes, the pane keys and tabs, the overview grid, sorting, filtering, the palette and
polling all come from here.

A new dashboard pane over data already fetched (Capacity, Problems, Events) touches:
1. a state module of its own computing its rows (e.g. state/capacity.py, with its tests);
2. this file: its `Res` member and one ResourceSpec in RESOURCES;
3. a client method (api/client.py) and a simulator route only if it needs a new API call.
Still outside the spec (follow-ups): health-bar counters (COUNTERS in state/health.py),
actions (ui/actions.py) and detail screens (ui/drill.py), which key on object kinds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any

from ..api.errors import ApiError, SpError, TransportError
from ..api.models import ActiveRequest
from . import format as fmt
from .capacity import capacity_rows, disk_space, fetch_capacity
from .columns import ESSENTIAL, Column, Kind
from .eventrows import EventsData, derive_events, event_rows, select_event
from .follow import FOLLOW, Follower
from .poller import PollPolicy
from .selection import Selection
from .snapshot import ClusterState, Row

if TYPE_CHECKING:
    from ..api.client import SpClient
    from ..api.models import (
        AllPeersActiveRequests,
        BalancerStatus,
        ClientConfigStatus,
        ClusterStatus,
        DiskSummary,
        MaintenanceNode,
        RelocatorStatus,
        Task,
    )

# StorPool's own monitoring flags I/O that has been in flight this long as stuck.
SLOW_REQUEST_MS = 10_000
REQUEST_FETCH_CONCURRENCY = 8

Rows = dict[Hashable, Row]


class Res(StrEnum):
    """The dashboard's resources, in pane order (a StrEnum: the names stay plain strings everywhere)."""

    SERVICES = "services"
    DISKS = "disks"
    VOLUMES = "volumes"
    REQUESTS = "requests"
    TASKS = "tasks"
    PROBLEMS = "problems"
    CAPACITY = "capacity"
    EVENTS = "events"


Levels = dict[Hashable, str]


@dataclass(frozen=True)
class ResourceSpec:
    """One resource: fetch it, key it, show it."""

    name: str
    title: str
    fetch: Callable[[SpClient, ClusterState], Awaitable[Any]]
    to_rows: Callable[[Any, ClusterState], tuple[Rows, Levels]]
    columns: tuple[Column, ...]
    policy: PollPolicy
    empty_text: str = "Nothing to show."
    default_sort: tuple[str, bool] | None = None
    rank: Callable[[Row], Any] | None = None
    # Polled even while no view shows it: the health bar and the connection state read it.
    always_poll: bool = True
    # Its failures count for the connection state (connected / retrying / disconnected / auth failed).
    connection: bool = True
    note: Callable[[Any], str] | None = None  # a remark on the data shown in the title
    select: Callable[[Hashable, Row], Selection | None] | None = None  # the object a row stands for
    # The least interval the last answer asks for, in seconds at the default refresh, or None for the policy's.
    slower: Callable[[Any], float | None] | None = None
    # Polled at once, whatever their pace, when this resource's answer changes what they show (state/health.py).
    implies: tuple[str, ...] = ()
    # A line under the pane's title about the data as a whole (the relocator's and balancer's state), or None.
    status: Callable[[Any, ClusterState], str] | None = None
    # A view derived from other resources (Problems, or Capacity over the disks): recomputed from the state each
    # time one of `reads` is answered or fails, so it is never a poll behind them; `derive` returning None (no
    # data yet) leaves it as it is.
    reads: tuple[str, ...] = ()
    derive: Callable[[ClusterState], Any] | None = None
    short: str = ""  # the tab's label where the full titles do not fit (80 columns); the title if empty
    # Its rows depend on the answer alone (not on the clock or other resources): an answer equal to the last one
    # keeps the last rows, so nothing is laid out or diffed again.
    rows_follow_data: bool = False


# ---------------------------------------------------------------- what the cluster offers

NOT_OFFERED_STATUSES = (404, 405, 501)


def not_offered(error: SpError) -> bool:
    """The server does not know the call at all (newer releases drop some), as opposed to "no such object".

    The API says so with an error JSON; a server in front of it may answer a bare HTTP 404 page instead,
    which the client reports as a TransportError starting "HTTP 404".
    """
    if isinstance(error, TransportError):
        return any(error.reason.startswith(f"HTTP {status} ") for status in NOT_OFFERED_STATUSES)
    if not isinstance(error, ApiError) or error.name == "objectNotFound":
        return False
    return error.name in ("invalidCall", "unknownCall", "notImplemented") or error.status in NOT_OFFERED_STATUSES


async def if_offered(state: ClusterState, wire: str, call: Callable[[], Awaitable[Any]]) -> Any | None:
    """The answer of a call only some releases have, or None when the cluster said it has no such call.

    The "no" is remembered so a 15.02 cluster is not asked again every poll; other errors propagate.
    """
    if state.offered.get(wire) is False:
        return None
    try:
        answer = await call()
    except SpError as exc:
        if not_offered(exc):
            state.offered[wire] = False
            return None
        raise
    state.offered[wire] = True
    return answer


def release_19_or_newer(state: ClusterState) -> bool:
    """The cluster answered a call 19.01 added (MaintenanceList, polled with the services): it runs 19.01 or
    newer, so the calls 19.01 dropped (VolumeRelocatorOn/Off, DiskGetInfo, AoE) are not offered."""
    return state.offered.get("MaintenanceList") is True or state.offered.get("AllPeersActiveRequests") is True


# ---------------------------------------------------------------- services


@dataclass(frozen=True)
class ServicesData:
    status: ClusterStatus
    config: tuple[ClientConfigStatus, ...]
    generation: int | None
    blocked: bool  # came from ServersListBlocked because the cluster is not running
    maintenance: tuple[MaintenanceNode, ...] | None = None  # None: the cluster has no MaintenanceList (15.02)


async def cluster_status(client: SpClient) -> tuple[ClusterStatus, bool]:
    """ServicesList, or ServersListBlocked (True) while the cluster has no quorum: ServicesList refuses then,
    ServersListBlocked still answers. A refused token is no quorum problem: it is raised, not retried."""
    try:
        return await client.services_list(), False
    except ApiError as error:
        if error.auth_failed:
            raise
        return await client.servers_list_blocked(), True


async def fetch_services(client: SpClient, state: ClusterState) -> ServicesData:
    status, blocked = await cluster_status(client)
    generation = client.last_generation
    try:
        config = tuple(await client.clients_config_dump())
    except SpError:
        config = ()
    try:
        listed = await if_offered(state, "MaintenanceList", client.maintenance_list)
    except SpError:
        listed = None  # the services still show; maintenance is an extra
    maintenance = tuple(listed.nodes) if listed is not None else None
    return ServicesData(status, config, generation, blocked, maintenance)


def _service_level(status: str) -> str | None:
    if status in ("running", "ok"):
        return None
    return "error" if status == "down" else "warn"


def maintenance_text(node: MaintenanceNode) -> str:
    """One line on a node in maintenance, as the operator reads it in Services and the health bar."""
    if node.overrun:
        left = "OVERRUN"
    elif node.remaining is not None:
        left = f"{fmt.age(node.remaining)} left"
    else:
        left = f"for {fmt.age(node.duration)}"
    description = fmt.inert(node.description, 40)
    return f"maintenance {left}" + (f": {description}" if description else "")


def services_rows(data: ServicesData, state: ClusterState) -> tuple[Rows, Levels]:
    rows: Rows = {}
    levels: Levels = {}
    config = {c.id: c for c in data.config}
    status = data.status
    now = state.wall()
    in_maintenance = {n.node_id: n for n in data.maintenance or ()}

    def add(kind: str, sid: int, service: Any, detail: str = "", cfg: str = "", lag: int | None = None) -> None:
        # The dict key is the id: 19.01 keeps `id` in each entry too, but a release may leave it out.
        key = (kind, sid)
        level = _service_level(service.status) or (_service_level(cfg) if cfg else None)
        node = in_maintenance.get(service.node_id) if service.node_id is not None else None
        if node is not None:
            detail = "; ".join(filter(None, [maintenance_text(node), detail]))
            level = level or "warn"
        rows[key] = {
            "type": kind,
            "id": sid,
            "node": service.node_id,
            "status": service.status,
            "version": service.version,
            "detail": detail,
            "config": cfg,
            "lag": lag,
            "started": service.start_time,
            "uptime": fmt.age_floor(now - service.start_time) if service.start_time else None,  # as shown
        }
        if level:
            levels[key] = level

    for sid, server in status.servers.items():
        parts = []
        if server.missing_disks:
            parts.append("missing " + ",".join(map(str, sorted(server.missing_disks))))
        if server.pending_disks:
            parts.append("pending " + ",".join(map(str, sorted(server.pending_disks))))
        add("server", sid, server, "; ".join(parts))
    for sid, svc in status.clients.items():
        cfg = config.get(sid)
        lag = None if cfg is None else max(0, cfg.generation - cfg.client_generation)
        add("client", sid, svc, cfg=cfg.config_status if cfg else "", lag=lag)
    for sid, mgmt in status.mgmt.items():
        add("mgmt", sid, mgmt, "active" if mgmt.active else "standby")
    for sid, target in status.aoe_targets.items():
        add("aoe target", sid, target)
    for sid, bridge in status.bridges.items():
        add("bridge", sid, bridge)
    for sid, iscsi in status.iscsi_targets.items():
        add("iscsi target", sid, iscsi)
    for node in data.maintenance or ():
        key = ("maintenance", node.node_id)
        rows[key] = {
            "type": "maintenance",
            "id": node.node_id,
            "node": node.node_id,
            "status": "overrun" if node.overrun else "in maintenance",
            "version": "",
            "detail": maintenance_text(node),
            "config": "",
            "lag": None,
            "started": node.started or None,
            "uptime": None,
        }
        levels[key] = "error" if node.overrun else "warn"
    return rows, levels


def services_note(data: ServicesData) -> str:
    return "cluster not running: services from ServersListBlocked" if data.blocked else ""


SERVICES_COLUMNS = (
    Column("type", "Type", Kind.STATE, priority=ESSENTIAL),
    Column("id", "ID", Kind.ID, priority=ESSENTIAL),
    Column("node", "Node", Kind.ID, priority=ESSENTIAL),
    Column("status", "Status", Kind.STATE, priority=ESSENTIAL),
    Column("version", "Version", Kind.TEXT, max_width=24, priority=3),
    Column("detail", "Detail", Kind.TEXT, max_width=40, priority=6),
    Column("config", "Config", Kind.STATE, priority=1),
    Column("lag", "Gen lag", Kind.COUNT, priority=2),
    Column("uptime", "Uptime", Kind.AGE, priority=4),  # 19.01's startTime; empty for 15.02
)


# ---------------------------------------------------------------- disks


async def fetch_disks(client: SpClient, state: ClusterState) -> dict[int, Any]:
    return await client.disks_list()


def disk_state(disk: Any) -> str:
    return "up" if disk.up else "down"


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _quotient(part: float, whole: float) -> float | None:
    """part / whole, or None when it is no float: counts from the API are unbounded ints (10**400 / 2.0 raises)."""
    try:
        return part / whole if whole else None
    except OverflowError:
        return None


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
    rows: Rows = {}
    levels: Levels = {}
    for disk_id, disk in data.items():
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
            "objects": _ratio(disk.objects_allocated, disk.objects_count) if up else None,
            "entries": _ratio(disk.entries_allocated, disk.entries_count) if up else None,
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


# ---------------------------------------------------------------- volumes


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


# ---------------------------------------------------------------- active requests


@dataclass(frozen=True)
class RequestsData:
    requests: tuple[tuple[str, ActiveRequest], ...]  # (where, request)
    targets: int
    unreachable: tuple[str, ...]


# AllPeersActiveRequests entries that are not requests: how a peer answered. Only these say it did not.
PEER_FAILED = frozenset({"peer_down", "timeout", "streamNotConnected", "streamOverfilled", "invalidResponse"})
NO_DISK = 4294967294  # diskId of a request that is not on a disk (a client's)


def requests_from_all_peers(answer: AllPeersActiveRequests) -> RequestsData:
    """One AllPeersActiveRequests answer as the per-service calls would have given it.

    A server's request is shown on its disk, a client's on the client; its age comes in microseconds.
    """
    found: list[tuple[str, ActiveRequest]] = []
    peers: set[str] = set()
    unreachable: list[str] = []
    for entry in answer.requests:
        service = f"{entry.service.type or 'peer'} {entry.service.id or entry.peer_id}"
        peers.add(service)
        if entry.status == "request":
            on_disk = entry.disk_id is not None and entry.disk_id != NO_DISK and entry.service.type != "client"
            where = f"disk {entry.disk_id}" if on_disk else service
            found.append((where, _as_request(entry)))
        elif entry.status in PEER_FAILED:
            unreachable.append(service)
    return RequestsData(tuple(found), len(peers), tuple(unreachable))


def _as_request(entry: Any) -> ActiveRequest:
    return ActiveRequest(
        request_id=entry.request_id,
        request_idx=entry.request_idx,
        volume=entry.volume,
        address=entry.address,
        size=entry.size,
        op=entry.op,
        msec_active=entry.usec_active // 1000,
    )


async def fetch_requests(client: SpClient, state: ClusterState) -> RequestsData:
    """All active requests: one AllPeersActiveRequests where the cluster offers it (19.01), else every
    running client's and up disk's, a bounded number of calls at a time."""
    answer = await if_offered(state, "AllPeersActiveRequests", client.all_peers_active_requests)
    if answer is not None:
        return requests_from_all_peers(answer)
    services = state.get("services")
    disks = state.get("disks")
    status = services.data.status if services else await client.services_list()
    disk_map = disks.data if disks else await client.disks_list()
    targets: list[tuple[str, Callable[[], Awaitable[Any]]]] = []
    for cid, svc in status.clients.items():
        if svc.status == "running":
            targets.append((f"client {cid}", partial(client.client_active_requests, cid)))
    for disk_id, disk in disk_map.items():
        if disk.up:
            targets.append((f"disk {disk_id}", partial(client.disk_active_requests, disk_id)))
    gate = asyncio.Semaphore(REQUEST_FETCH_CONCURRENCY)

    async def one(call: Callable[[], Awaitable[Any]]) -> Any:
        async with gate:
            return await call()

    answers = await asyncio.gather(*(one(call) for _, call in targets), return_exceptions=True)
    found: list[tuple[str, ActiveRequest]] = []
    unreachable: list[str] = []
    for (where, _), answer in zip(targets, answers, strict=True):
        if isinstance(answer, SpError):
            unreachable.append(where)
        elif isinstance(answer, BaseException):
            raise answer
        else:
            found.extend((where, req) for req in answer.requests)
    if targets and len(unreachable) == len(targets):
        first = next(a for a in answers if isinstance(a, SpError))
        raise first
    return RequestsData(tuple(found), len(targets), tuple(unreachable))


def requests_rows(data: RequestsData, state: ClusterState) -> tuple[Rows, Levels]:
    rows: Rows = {}
    levels: Levels = {}
    for where, req in data.requests:
        key = (where, req.request_id, req.request_idx)
        slow = req.msec_active >= SLOW_REQUEST_MS
        rows[key] = {
            "where": where,
            "op": req.op,
            "volume": req.volume,
            "address": req.address,
            "size": req.size,
            "age": req.msec_active,
            "slow": "SLOW" if slow else "",
            "request": req.request_id,
        }
        if slow:
            levels[key] = "warn"
    return rows, levels


# msecActive: the reference's field name says milliseconds while its prose says microseconds.
# We read milliseconds: the name is the machine-readable contract every consumer is coded
# against and prose is where typos live; read as microseconds, ordinary disk I/O would show
# as active for hundredths of a millisecond while the request is still listed as in flight,
# which a poll every few seconds would almost never catch. The column says "ms" so the unit
# is never implicit, and SLOW_REQUEST_MS is the one place to change if evidence says otherwise.
REQUESTS_COLUMNS = (
    Column("age", "Age ms", Kind.COUNT, priority=ESSENTIAL),
    Column("slow", ">10 s", Kind.STATE, priority=ESSENTIAL),
    Column("where", "Where", Kind.TEXT, priority=ESSENTIAL),
    Column("op", "Op", Kind.STATE, priority=1),
    Column("volume", "Volume", Kind.ID, max_width=40, priority=ESSENTIAL),
    Column("size", "Size", Kind.BYTES, priority=2),
    Column("address", "Address", Kind.COUNT, priority=3),
    Column("request", "Request ID", Kind.TEXT, max_width=24, priority=4),
)


# ---------------------------------------------------------------- tasks


@dataclass(frozen=True)
class TasksData:
    tasks: tuple[Task, ...]
    relocator: RelocatorStatus | None
    balancer: BalancerStatus | None


async def fetch_tasks(client: SpClient, state: ClusterState) -> TasksData:
    tasks, relocator, balancer = await asyncio.gather(
        client.tasks_list(), client.volume_relocator_status(), client.volume_balancer_get_status()
    )
    return TasksData(tuple(tasks), relocator, balancer)


def tasks_rows(data: TasksData, state: ClusterState) -> tuple[Rows, Levels]:
    """Per-disk tasks with progress, and rate and ETA from the previous poll of the same task."""
    rows: Rows = {}
    now_snapshot = state.get("tasks")
    disks = state.get("disks")
    servers = {d: disk.server_id for d, disk in disks.data.items()} if disks else {}
    before = now_snapshot.rows if now_snapshot else {}
    elapsed = state.clock() - now_snapshot.fetched_at if now_snapshot else 0.0
    for task in data.tasks:
        key = (task.transaction_id, task.disk_id)
        previous = before.get(key)
        rate = None
        if previous is not None and elapsed > 0:
            rate = _quotient(max(0, task.completed_objects - previous["completed"]), elapsed)
        remaining = max(0, task.all_objects - task.completed_objects)
        done = min(max(0, task.completed_objects), task.all_objects)
        rows[key] = {
            "transaction": task.transaction_id,
            "disk": task.disk_id,
            "server": servers.get(task.disk_id),
            "completed": task.completed_objects,
            "dispatched": task.dispatched_objects,
            "all": task.all_objects,
            "progress": _ratio(done, task.all_objects) if task.all_objects > 0 else 1.0,
            "rate": rate,
            "eta": _quotient(remaining, rate) if rate else None,
        }
    return rows, {}


TASKS_COLUMNS = (
    Column("transaction", "Transaction", Kind.ID, priority=ESSENTIAL),
    Column("disk", "Disk", Kind.ID, priority=ESSENTIAL),
    Column("server", "Server", Kind.ID, priority=1),
    Column("progress", "Progress", Kind.PROGRESS, min_width=16, priority=ESSENTIAL),
    Column("completed", "Completed", Kind.COUNT, priority=3),
    Column("dispatched", "Dispatched", Kind.COUNT, priority=3),
    Column("all", "All objects", Kind.COUNT, priority=3),
    Column("rate", "Objects/s", Kind.COUNT, priority=2),
    Column("eta", "ETA", Kind.AGE, priority=1),
)


STATUS_WIDTH = 30  # cells for a relocator or balancer status from the API


def tasks_status(data: TasksData, state: ClusterState) -> str:
    """The relocator's and balancer's state; under it, while the operator's actions are followed, their progress."""
    follower = state.derived.get(FOLLOW)
    following = follower.line() if isinstance(follower, Follower) else ""
    relocator = fmt.inert(data.relocator.status, STATUS_WIDTH) if data.relocator else "unknown"
    auto = " (auto)" if data.balancer and data.balancer.auto else ""
    balancer = f"{fmt.inert(fmt.api_word(data.balancer.status), STATUS_WIDTH)}{auto}" if data.balancer else "unknown"
    running = fmt.plural(len(data.tasks), "relocation task") if data.tasks else "nothing is relocating"
    return f"relocator: {relocator}   balancer: {balancer}   {running}" + (f"\n{following}" if following else "")


def _select_service(key: Hashable, row: Row) -> Selection:
    return Selection(row["type"], row["id"], row)


def _select_disk(key: Hashable, row: Row) -> Selection:
    return Selection("disk", row["id"] if "id" in row else row["disk"], row)


def _select_volume(key: Hashable, row: Row) -> Selection:
    return Selection(row["type"], key, row)


def _select_request(key: Hashable, row: Row) -> Selection | None:
    where, _, number = str(row["where"]).partition(" ")
    return Selection(where, int(number), row) if number.isdigit() else None


# ---------------------------------------------------------------- problems (derived: no API call)


def derive_problems(state: ClusterState) -> Any:
    from .problems import current  # problems reads this module's rules: imported when first used

    return current(state)


async def fetch_problems(client: SpClient, state: ClusterState) -> Any:
    return derive_problems(state)


def problems_rows(data: Any, state: ClusterState) -> tuple[Rows, Levels]:
    from .problems import problem_rows

    return problem_rows(data, state)


def _problem_rank(row: Row) -> int:
    return int(row.get("rank", 3))


PROBLEMS_COLUMNS = (
    Column("severity", "Severity", Kind.STATE, priority=ESSENTIAL),
    Column("what", "What", Kind.TEXT, max_width=40, priority=ESSENTIAL),
    Column("where", "Where", Kind.TEXT, max_width=30, priority=ESSENTIAL),
    Column("age", "Since", Kind.AGE, priority=1),
    Column("why", "Why it matters", Kind.TEXT, max_width=90, priority=2),
)


def _select_problem(key: Hashable, row: Row) -> Selection | None:
    ref = row.get("ref")
    return Selection(str(ref[0]), ref[1], row) if ref else None


# ---------------------------------------------------------------- capacity


def derive_capacity(state: ClusterState) -> Any:
    """The last templates and placement groups, to lay out again over new disk figures."""
    snapshot = state.get(Res.CAPACITY)
    return snapshot.data if snapshot is not None else None


def _select_capacity(key: Hashable, row: Row) -> Selection:
    """A template opens its volumes, a placement group its disks (ui/drill.py)."""
    return Selection(str(row["kind"]), row["name"], row)


def _capacity_rank(row: Row) -> Any:
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


# ---------------------------------------------------------------- events (derived from the app's event log)


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


RESOURCES: dict[str, ResourceSpec] = {
    spec.name: spec
    for spec in (
        ResourceSpec(
            Res.SERVICES,
            "Services",
            fetch_services,
            services_rows,
            SERVICES_COLUMNS,
            PollPolicy(2.0),
            short="Svc",
            empty_text="No services reported.",
            note=services_note,
            select=_select_service,
            implies=(Res.DISKS, Res.VOLUMES),
        ),
        ResourceSpec(
            Res.DISKS,
            "Disks",
            fetch_disks,
            disks_rows,
            DISKS_COLUMNS,
            PollPolicy(2.0),
            empty_text="No disks.",
            default_sort=("id", False),
            select=_select_disk,
            implies=(Res.VOLUMES, Res.TASKS),
            rows_follow_data=True,
        ),
        ResourceSpec(
            Res.VOLUMES,
            "Volumes",
            fetch_volumes,
            volumes_rows,
            VOLUMES_COLUMNS,
            PollPolicy(5.0),
            short="Vols",
            empty_text="No volumes or snapshots.",
            default_sort=("name", False),
            rank=volume_rank,
            select=_select_volume,
            rows_follow_data=True,
        ),
        ResourceSpec(
            Res.REQUESTS,
            "Requests",
            fetch_requests,
            requests_rows,
            REQUESTS_COLUMNS,
            # Polled while hidden too, at a quarter of the pace (12 s): a request stuck over 10 s is a problem
            # (Problems, the health bar) whatever pane is shown. It stays stuck, so it still shows within 22 s of
            # being sent; every 3 s cost a 9 MB answer on a large 19.01 cluster, and on 15.02 one call per
            # client and disk (4,000 calls on a large one).
            PollPolicy(3.0),
            short="Reqs",
            empty_text="No active requests.",
            default_sort=("age", True),
            connection=False,
            select=_select_request,
            rows_follow_data=True,
        ),
        ResourceSpec(
            Res.TASKS,
            "Tasks",
            fetch_tasks,
            tasks_rows,
            TASKS_COLUMNS,
            PollPolicy(2.0),
            empty_text="No relocation tasks — nothing is relocating.",
            default_sort=("transaction", False),
            select=_select_disk,
            status=tasks_status,
        ),
        ResourceSpec(
            Res.PROBLEMS,
            "Problems",
            fetch_problems,
            problems_rows,
            PROBLEMS_COLUMNS,
            # Derived: recomputed whenever what it reads is answered; the poll only fills it at start.
            PollPolicy(60.0, hidden_factor=1.0),
            short="Probs",
            empty_text="No problems: nothing needs attention.",
            default_sort=("age", True),
            rank=_problem_rank,
            connection=False,
            select=_select_problem,
            reads=(Res.SERVICES, Res.DISKS, Res.VOLUMES, Res.REQUESTS, Res.TASKS, Res.CAPACITY),
            derive=derive_problems,
        ),
        ResourceSpec(
            Res.CAPACITY,
            "Capacity",
            fetch_capacity,
            capacity_rows,
            CAPACITY_COLUMNS,
            # Templates and placement groups change slowly; the Problems view reads them while hidden too.
            PollPolicy(10.0),
            short="Cap",
            empty_text="No templates or placement groups.",
            default_sort=("used", True),
            rank=_capacity_rank,
            connection=False,
            select=_select_capacity,
            reads=(Res.DISKS,),  # its bytes are the disks': it follows every disks answer
            derive=derive_capacity,
        ),
        ResourceSpec(
            Res.EVENTS,
            "Events",
            fetch_events,
            event_rows,
            EVENTS_COLUMNS,
            # Derived: laid out again with each event (the app tells it) and each services answer (the ages).
            PollPolicy(60.0, hidden_factor=1.0),
            empty_text="No events yet: changes seen by the polls, and your actions, are listed here.",
            default_sort=("age", False),
            connection=False,
            select=select_event,
            reads=(Res.SERVICES,),
            derive=derive_events,
        ),
    )
}
