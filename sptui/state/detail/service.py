"""A server's and a client's detail resources: the server's disks; the client's attachments, config status and
active requests."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...api.errors import ApiError
from ..columns import Column, Kind
from ..panes.disks import DISKS_COLUMNS, disks_rows
from ..panes.services import cluster_status
from ..panes.spec import Levels, ResourceSpec, Rows
from ..poller import PollPolicy
from ..snapshot import ClusterState
from .common import (
    DetailRequests,
    Summary,
    _ids,
    _one_target,
    _requests_spec,
    _select_disk_id,
    _select_named,
    _text,
    known_disks,
)

if TYPE_CHECKING:
    from ...api.client import SpClient
    from ...api.models import Attachment, ClientConfigStatus, DiskSummary, Server
    from ...api.models import Client as ClientService


def _node(node_id: int | None) -> str:
    """19.01 may leave a service's node out: say so rather than show a made-up node 0."""
    return "node unknown" if node_id is None else f"node {node_id}"


# ---------------------------------------------------------------- server


@dataclass(frozen=True)
class ServerDetail:
    server_id: int
    service: Server | None  # its ServicesList entry
    disks: Mapping[int, DiskSummary]
    fallback: str = ""  # why the disks came from DisksList instead of ServerDisksList


def server_disks_spec(server_id: int) -> ResourceSpec[ServerDetail]:
    async def fetch(client: SpClient, state: ClusterState) -> ServerDetail:
        service = (await cluster_status(client))[0].servers.get(server_id)
        try:
            disks = await client.server_disks_list(server_id)
            fallback = ""
        except ApiError as error:
            if error.auth_failed:
                raise
            every = known_disks(state) or await client.disks_list()
            disks = {d: disk for d, disk in every.items() if disk.server_id == server_id}
            fallback = f"ServerDisksList: {error.name}; disks as DisksList last listed them"
        return ServerDetail(server_id, service, disks, fallback)

    return ResourceSpec(
        f"server:{server_id}:disks",
        "Disks of this server",
        fetch,
        server_disk_rows,
        DISKS_COLUMNS,
        PollPolicy(3.0),
        empty_text="No disks on this server.",
        default_sort=("id", False),
        always_poll=False,
        connection=False,
        note=_server_note,
        select=_select_disk_id,
    )


def server_disk_rows(data: ServerDetail, state: ClusterState) -> tuple[Rows, Levels]:
    """The Disks pane's rows for this server's disks; missing and pending disks say so and stand out."""
    rows, levels = disks_rows(dict(data.disks), state)
    rows = dict(rows)
    service = data.service
    if service is not None:
        for disk_id in service.missing_disks:
            base = rows.get(disk_id) or {"id": disk_id, "server": data.server_id}
            rows[disk_id] = {**base, "state": "missing"}
            levels[disk_id] = "error"
        for disk_id in service.pending_disks:
            base = rows.get(disk_id) or {"id": disk_id, "server": data.server_id}
            rows[disk_id] = {**base, "state": "pending"}
            levels.setdefault(disk_id, "warn")
    return rows, levels


def _server_note(data: ServerDetail) -> str:
    return data.fallback


def server_summary(data: ServerDetail) -> Summary:
    service = data.service
    up = sum(1 for d in data.disks.values() if d.up)
    disks = f"{len(data.disks)} disks, {up} up"
    if service is None:
        return Summary((f"{disks} · service status unknown (not in ServicesList yet)",), "warn")
    lines = [
        f"{_text(service.status, 20)} · {_node(service.node_id)} · version {_text(service.version, 40)} · {disks}",
        f"missing disks: {_ids(service.missing_disks)} · pending disks: {_ids(service.pending_disks)}",
    ]
    if service.status == "down" or service.missing_disks:
        level: str | None = "error"
    elif service.status != "running" or service.pending_disks or up < len(data.disks):
        level = "warn"
    else:
        level = None
    return Summary(tuple(lines), level)


# ---------------------------------------------------------------- client


@dataclass(frozen=True)
class ClientDetail:
    client_id: int
    service: ClientService | None
    config: ClientConfigStatus | None
    attachments: tuple[Attachment, ...]


def client_info_spec(client_id: int) -> ResourceSpec[ClientDetail]:
    async def fetch(client: SpClient, state: ClusterState) -> ClientDetail:
        (status, _), attachments, configs = await asyncio.gather(
            cluster_status(client), client.attachments_list(), client.clients_config_dump()
        )
        mine = tuple(a for a in attachments if a.client == client_id)
        config = next((c for c in configs if c.id == client_id), None)
        return ClientDetail(client_id, status.clients.get(client_id), config, mine)

    return ResourceSpec(
        f"client:{client_id}:info",
        "Attachments",
        fetch,
        client_attachment_rows,
        CLIENT_ATTACHMENT_COLUMNS,
        PollPolicy(3.0),
        empty_text="No volumes or snapshots attached.",
        default_sort=("volume", False),
        always_poll=False,
        connection=False,
        select=_select_named,
    )


def client_attachment_rows(data: ClientDetail, state: ClusterState) -> tuple[Rows, Levels]:
    rows: Rows = {}
    for att in data.attachments:
        rows[att.volume] = {
            "volume": att.volume,
            "type": "snapshot" if att.snapshot else "volume",
            "rights": att.rights,
            "pos": att.pos,
            "client": data.client_id,
        }
    return rows, {}


CLIENT_ATTACHMENT_COLUMNS = (
    Column("volume", "Volume", Kind.ID, max_width=40),
    Column("type", "Type", Kind.STATE),
    Column("rights", "Access", Kind.STATE),
    Column("pos", "Position", Kind.ID),
)


def client_summary(data: ClientDetail) -> Summary:
    service = data.service
    config = data.config
    rw = sum(1 for a in data.attachments if a.rights == "rw")
    attached = f"{len(data.attachments)} attached ({rw} rw, {len(data.attachments) - rw} ro)"
    if service is not None:
        first = f"{_text(service.status, 20)} · {_node(service.node_id)} · version {_text(service.version, 40)}"
    else:
        first = "service status unknown (not in ServicesList yet)"
    if config is not None:
        lag = max(0, config.generation - config.client_generation)
        behind = f", {lag} behind" if lag else ""
        second = (
            f"config {_text(config.config_status, 20)} · cluster generation {config.generation} · "
            f"client at {config.client_generation}{behind}"
        )
    else:
        second = "config status unknown (not in ClientsConfigDump)"
    lines = (f"{first} · {attached}", second)
    down = service is not None and service.status == "down"
    lagging = config is not None and config.config_status != "ok"
    return Summary(lines, "error" if down else "warn" if lagging or service is None else None)


def client_requests_spec(client_id: int) -> ResourceSpec[DetailRequests]:
    async def fetch(client: SpClient, state: ClusterState) -> DetailRequests:
        answer = await client.client_active_requests(client_id)
        return DetailRequests(_one_target(f"client {client_id}", answer.requests))

    return _requests_spec(f"client:{client_id}:requests", fetch)
