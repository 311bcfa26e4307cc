"""The Services pane: servers, clients, management, bridges and targets, and nodes in maintenance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...api.errors import ApiError, SpError
from .. import format as fmt
from ..columns import ESSENTIAL, Column, Kind
from ..offered import if_offered
from ..selection import Selection
from ..snapshot import ClusterState, Row
from .spec import Levels, Rows

if TYPE_CHECKING:
    from collections.abc import Hashable

    from ...api.client import SpClient
    from ...api.models import ClientConfigStatus, ClusterStatus, MaintenanceNode


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


def select_service(key: Hashable, row: Row) -> Selection:
    return Selection(row["type"], row["id"], row)
