"""The volume screen's other views: the snapshot chain, the clients it is attached to, and the relocator's and
balancer's estimates per disk."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...api.errors import ApiError
from ..chain import Dependent, count_dependents, dependents
from ..columns import Column, Kind
from ..panes.spec import Levels, ResourceSpec, Rows
from ..poller import PollPolicy
from ..snapshot import ClusterState
from .common import _select_client, _select_disk, _select_named, created
from .volume import VolumeKind, _volume_call

if TYPE_CHECKING:
    from ...api.client import SpClient
    from ...api.models import Attachment, DiskTarget
    from ...api.models import Client as ClientService


# ---------------------------------------------------------------- volume: snapshot chain


@dataclass(frozen=True)
class ChainData:
    chain: tuple[Any, ...]  # summaries from the base snapshot to the object itself
    snapshot: bool
    below: tuple[Dependent, ...] = ()  # a snapshot's: the volumes and snapshots that depend on it, depth first


def chain_from(own: Any, ancestors: Iterable[Any]) -> tuple[Any, ...]:
    """Base first: follow parentName from the object up through `ancestors` (in whatever order they came)."""
    by_name = {s.name: s for s in ancestors}
    chain = [own]
    seen = {own.name}
    parent = own.parent_name
    while parent and parent in by_name and parent not in seen:
        seen.add(parent)
        chain.append(by_name[parent])
        parent = by_name[parent].parent_name
    return tuple(reversed(chain))


def volume_chain_spec(name: str, kind: VolumeKind) -> ResourceSpec[ChainData]:
    async def fetch(client: SpClient, state: ClusterState) -> ChainData:
        own = (await _volume_call(client, kind, name, "volume_list", "snapshot_list"))[0]
        if not kind.snapshot:
            return ChainData(chain_from(own, await client.volume_list_snapshots(name)), False)
        # Both ways: the ancestors, and everything whose chain passes through it (one read of each list).
        snapshots, volumes = await asyncio.gather(client.snapshots_list(), client.volumes_list())
        return ChainData(chain_from(own, snapshots), True, dependents(own.name, volumes, snapshots))

    return ResourceSpec(
        f"volume:{name}:chain",
        "Snapshot chain, base first",
        fetch,
        chain_rows,
        CHAIN_COLUMNS,
        PollPolicy(10.0, None),
        empty_text="No chain.",
        always_poll=False,
        connection=False,
        note=chain_note,
        select=_select_named,
    )


def chain_note(data: ChainData) -> str:
    """A snapshot's dependents in one line, so the count shows even when the tree is longer than the screen."""
    if not data.snapshot:
        return ""
    return f"depending on it: {count_dependents(data.below)}"


def chain_rows(data: ChainData, state: ClusterState) -> tuple[Rows, Levels]:
    rows: Rows = {}
    levels: Levels = {}
    last = len(data.chain) - 1
    for depth, item in enumerate(data.chain):
        is_self = depth == last
        kind = ("snapshot" if data.snapshot else "volume") if is_self else "snapshot"
        rows[item.name] = {
            "chain": ("  " * (depth - 1) + "└ " if depth else "") + item.name,
            "name": item.name,
            "type": kind,
            "size": item.size,
            "created": created(item.creation_timestamp),
            "template": item.template_name,
            "deleted": "deleted" if getattr(item, "deleted", False) else "",
        }
        if getattr(item, "deleted", False):
            levels[item.name] = "muted"
    for dep in data.below:  # below the snapshot itself, indented by how far down the tree they are
        if dep.name in rows:
            continue  # a name already shown above: a broken answer must not hide a row
        depth = last + dep.depth
        rows[dep.name] = {
            "chain": "  " * (depth - 1) + "└ " + dep.name,
            "name": dep.name,
            "type": dep.kind,
            "size": dep.summary.size,
            "created": created(dep.summary.creation_timestamp),
            "template": dep.summary.template_name,
            "deleted": "deleted" if getattr(dep.summary, "deleted", False) else "",
        }
        if getattr(dep.summary, "deleted", False):
            levels[dep.name] = "muted"
    return rows, levels


CHAIN_COLUMNS = (
    Column("chain", "Chain (base first)", Kind.TEXT, max_width=60),
    Column("type", "Type", Kind.STATE),
    Column("size", "Size", Kind.BYTES),
    Column("created", "Created", Kind.TEXT),
    Column("template", "Template", Kind.TEXT, max_width=24),
    Column("deleted", "Deleted", Kind.STATE),
)


# ---------------------------------------------------------------- volume: attachments


@dataclass(frozen=True)
class AttachmentsData:
    attachments: tuple[Attachment, ...]
    clients: Mapping[int, ClientService]


def volume_attachments_spec(name: str) -> ResourceSpec[AttachmentsData]:
    async def fetch(client: SpClient, state: ClusterState) -> AttachmentsData:
        found = tuple(a for a in await client.attachments_list() if a.volume == name)
        services = state.get("services")
        clients = services.data.status.clients if services is not None else {}
        return AttachmentsData(found, clients)

    return ResourceSpec(
        f"volume:{name}:attachments",
        "Attached to clients",
        fetch,
        volume_attachment_rows,
        VOLUME_ATTACHMENT_COLUMNS,
        PollPolicy(5.0, None),
        empty_text="Not attached to any client.",
        default_sort=("client", False),
        always_poll=False,
        connection=False,
        select=_select_client,
    )


def volume_attachment_rows(data: AttachmentsData, state: ClusterState) -> tuple[Rows, Levels]:
    rows: Rows = {}
    levels: Levels = {}
    for att in data.attachments:
        service = data.clients.get(att.client)
        status = service.status if service is not None else "unknown"
        rows[att.client] = {"client": att.client, "rights": att.rights, "status": status, "pos": att.pos}
        if status not in ("running", "unknown"):
            levels[att.client] = "error"
    return rows, levels


VOLUME_ATTACHMENT_COLUMNS = (
    Column("client", "Client", Kind.ID),
    Column("rights", "Access", Kind.STATE),
    Column("status", "Client status", Kind.STATE),
    Column("pos", "Position", Kind.ID),
)


# ---------------------------------------------------------------- volume: relocator and balancer estimates


@dataclass(frozen=True)
class EstimatesData:
    relocator: Mapping[int, DiskTarget] | None
    balancer: Mapping[int, DiskTarget] | None
    unavailable: tuple[str, ...]  # "relocator: reason"


def volume_estimates_spec(name: str, kind: VolumeKind) -> ResourceSpec[EstimatesData]:
    async def fetch(client: SpClient, state: ClusterState) -> EstimatesData:
        which = "snapshot" if kind.snapshot else "volume"
        calls = (
            getattr(client, f"volume_relocator_{which}_disks")(name),
            getattr(client, f"volume_balancer_{which}_disks")(name),
        )
        answers = await asyncio.gather(*calls, return_exceptions=True)
        found: list[Mapping[int, DiskTarget] | None] = []
        unavailable: list[str] = []
        for label, answer in zip(("relocator", "balancer"), answers, strict=True):
            if isinstance(answer, ApiError) and not answer.auth_failed:
                found.append(None)
                unavailable.append(f"{label}: {answer.name}")
            elif isinstance(answer, BaseException):
                raise answer
            else:
                found.append(answer)
        return EstimatesData(found[0], found[1], tuple(unavailable))

    return ResourceSpec(
        f"volume:{name}:estimates",
        "Relocator and balancer estimates",
        fetch,
        estimate_rows,
        ESTIMATE_COLUMNS,
        PollPolicy(10.0, None),
        empty_text="No estimates for this volume.",
        default_sort=("disk", False),
        always_poll=False,
        connection=False,
        note=_estimates_note,
        select=_select_disk,
    )


def _objects_of(target: DiskTarget | None) -> tuple[int | None, int | None]:
    if target is None or target.objects_allocated is None:
        return None, None
    return target.objects_allocated.current, target.objects_allocated.target


def estimate_rows(data: EstimatesData, state: ClusterState) -> tuple[Rows, Levels]:
    """Per disk: the volume's objects now, where the relocator and the balancer would take them."""
    rows: Rows = {}
    levels: Levels = {}
    relocator = data.relocator or {}
    balancer = data.balancer or {}
    for disk_id in sorted(set(relocator) | set(balancer)):
        r_now, r_target = _objects_of(relocator.get(disk_id))
        b_now, b_target = _objects_of(balancer.get(disk_id))
        now = r_now if r_now is not None else b_now
        if not (now or r_target or b_target):
            continue
        entry = relocator.get(disk_id) or balancer.get(disk_id)
        down = entry is not None and not entry.up
        rows[disk_id] = {
            "disk": disk_id,
            "server": entry.server_id if entry is not None else None,
            "state": "down" if down else "up",
            "now": now,
            "relocator": r_target,
            "relocator_delta": None if r_target is None or now is None else r_target - now,
            "balancer": b_target,
            "balancer_delta": None if b_target is None or now is None else b_target - now,
        }
        if down:
            levels[disk_id] = "error"
        elif (r_target is not None and r_target != now) or (b_target is not None and b_target != now):
            levels[disk_id] = "warn"
    return rows, levels


def _estimates_note(data: EstimatesData) -> str:
    return "not available: " + ", ".join(data.unavailable) if data.unavailable else ""


ESTIMATE_COLUMNS = (
    Column("disk", "Disk", Kind.ID),
    Column("server", "Server", Kind.ID),
    Column("state", "State", Kind.STATE),
    Column("now", "Objects now", Kind.COUNT),
    Column("relocator", "Relocator target", Kind.COUNT),
    Column("relocator_delta", "Relocator Δ", Kind.COUNT),
    Column("balancer", "Balancer target", Kind.COUNT),
    Column("balancer_delta", "Balancer Δ", Kind.COUNT),
)
